package dk.sdu.cloud.im.harness.serve;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ServerUrlsTest {

    @Test
    void wildcardAddressesBecomeLoopbackAndIpv6IsBracketed() {
        assertThat(ServerUrls.connectable("0.0.0.0", 8889)).isEqualTo(URI.create("http://127.0.0.1:8889"));
        assertThat(ServerUrls.connectable("::", 8889)).isEqualTo(URI.create("http://[::1]:8889"));
        assertThat(ServerUrls.connectable("fd00::7", 80)).isEqualTo(URI.create("http://[fd00::7]:80"));
        assertThat(ServerUrls.connectable("10.0.0.5", 9000)).isEqualTo(URI.create("http://10.0.0.5:9000"));
        assertThat(ServerUrls.connectable("im.example.org", 443)).isEqualTo(URI.create("http://im.example.org:443"));
    }
}
