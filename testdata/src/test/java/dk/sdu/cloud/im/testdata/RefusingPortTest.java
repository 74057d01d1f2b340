package dk.sdu.cloud.im.testdata;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefusingPortTest {

    @Test
    void aConnectionIsRefusedAndNobodyElseCanListenThereWhileItIsOpen() throws IOException {
        try (RefusingPort port = RefusingPort.open()) {
            assertThat(port.port()).isPositive();
            assertThat(port.httpUrl().toString()).isEqualTo("http://127.0.0.1:" + port.port());
            try (Socket client = new Socket()) {
                assertThatThrownBy(() -> client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        port.port()), 10_000)).isInstanceOf(ConnectException.class).hasMessageContaining("refused");
            }
            // As a server binds it (Jetty and the JDK's HTTP server ask for address reuse).
            try (ServerSocket other = new ServerSocket()) {
                other.setReuseAddress(true);
                assertThatThrownBy(() -> other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        port.port()))).isInstanceOf(BindException.class);
            }
        }
    }
}
