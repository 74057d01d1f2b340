package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The address rule for image downloads, and the CIDR networks its configuration is written in. */
class ImageAddressPolicyTest {

    private static InetAddress address(String literal) {
        return IpNetwork.literal(literal).orElseThrow(() -> new AssertionError("not a literal: " + literal));
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, unspecified address",
            "0.1.2.3, unspecified address",
            "::, unspecified address",
            "127.0.0.1, loopback",
            "127.255.0.9, loopback",
            "::1, loopback",
            "169.254.169.254, link-local",
            "fe80::1, link-local",
            "febf::1, link-local",
            "10.0.0.1, private network",
            "172.16.0.1, private network",
            "172.31.255.254, private network",
            "192.168.0.1, private network",
            "fc00::1, private network",
            "fd12:3456::1, private network",
            "fec0::1, private network",
            "100.64.0.1, shared address space",
            "100.127.255.254, shared address space",
            "224.0.0.1, multicast",
            "239.255.255.250, multicast",
            "ff02::1, multicast",
            "255.255.255.255, broadcast",
            "240.0.0.1, reserved",
            "::ffff:127.0.0.1, loopback",
            "::ffff:169.254.169.254, link-local",
            "::ffff:10.1.2.3, private network",
            "::127.0.0.1, loopback",
            "::a9fe:a9fe, link-local",
            "64:ff9b::a9fe:a9fe, link-local",
            "64:ff9b::10.0.0.1, private network"
    })
    void eachSpecialRangeIsRefusedByDefault(String literal, String reason) {
        assertThat(ImageAddressPolicy.strict().refusal(address(literal))).contains(reason);
        assertThat(ImageAddressPolicy.strict().refusalOfLiteral(literal.contains(":") ? "[" + literal + "]" : literal))
                .contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255",
            "172.32.0.0", "169.253.255.255", "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::808:808",
            "223.255.255.255"})
    void publicAddressesAreAllowed(String literal) {
        assertThat(ImageAddressPolicy.strict().refusal(address(literal))).isEmpty();
    }

    @Test
    void anAllowedNetworkLetsItsAddressesThroughAndNothingBeside() {
        ImageAddressPolicy mirror = new ImageAddressPolicy(
                List.of(IpNetwork.parse("10.0.5.0/24"), IpNetwork.parse("127.0.0.1")), List.of());

        assertThat(mirror.refusal(address("10.0.5.1"))).isEmpty();
        assertThat(mirror.refusal(address("10.0.5.255"))).isEmpty();
        assertThat(mirror.refusal(address("::ffff:10.0.5.7"))).isEmpty();
        assertThat(mirror.refusal(address("127.0.0.1"))).isEmpty();
        assertThat(mirror.refusal(address("10.0.6.1"))).contains("private network");
        assertThat(mirror.refusal(address("127.0.0.2"))).contains("loopback");
        assertThat(mirror.refusal(address("::1"))).contains("loopback");
        assertThat(mirror.refusal(address("169.254.169.254"))).contains("link-local");
    }

    @Test
    void aBlockedNetworkIsRefusedEvenWhenPublicOrAllowed() {
        ImageAddressPolicy cluster = new ImageAddressPolicy(List.of(IpNetwork.parse("10.0.0.0/8")),
                List.of(IpNetwork.parse("10.96.0.0/12"), IpNetwork.parse("198.51.100.0/24")));

        assertThat(cluster.refusal(address("10.96.0.1"))).contains("blocked network");
        assertThat(cluster.refusal(address("198.51.100.7"))).contains("blocked network");
        assertThat(cluster.refusal(address("64:ff9b::c633:6407"))).contains("blocked network");
        assertThat(cluster.refusal(address("10.1.0.1"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"images.example.org", "localhost", "127.1", "2130706433", "0x7f.0.0.1", "[images]",
            "1.2.3.4.5", "256.0.0.1", "01.2.3.4"})
    void hostNamesAndAmbiguousNumbersAreNoLiteralsAndAreLeftToTheCheckAfterResolution(String host) {
        assertThat(IpNetwork.literal(host)).isEmpty();
        assertThat(ImageAddressPolicy.strict().refusalOfLiteral(host)).isEmpty();
    }

    @Test
    void networksAreParsedInCidrNotation() throws UnknownHostException {
        assertThat(IpNetwork.parse("10.0.5.0/24").toString()).isEqualTo("10.0.5.0/24");
        assertThat(IpNetwork.parse(" fd00::/8 ").toString()).isEqualTo("fd00:0:0:0:0:0:0:0/8");
        assertThat(IpNetwork.parse("127.0.0.1").toString()).isEqualTo("127.0.0.1/32");
        assertThat(IpNetwork.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(IpNetwork.parse("0.0.0.0/0").contains(InetAddress.getByName("2001:db8::1"))).isFalse();
        assertThat(IpNetwork.parse("10.0.5.0/25").contains(InetAddress.getByName("10.0.5.128"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.5.1/24 | '10.0.5.1/24': the address has bits set beyond its /24 prefix; did you mean 10.0.5.0/24?",
            "10.0.5.0/33 | '10.0.5.0/33': the prefix length must be 0..32, got 33",
            "10.0.5.0/ | has no valid prefix length after '/', got '10.0.5.0/'",
            "10.0.5.0/x | has no valid prefix length after '/', got '10.0.5.0/x'",
            "mirror.example.org/24 | is not an IP network in CIDR notation (e.g. 10.0.5.0/24 or fd00::/8), got 'mirror.example.org/24'",
            "10.0.5/24 | is not an IP network in CIDR notation (e.g. 10.0.5.0/24 or fd00::/8), got '10.0.5/24'",
            "fd00::/129 | 'fd00::/129': the prefix length must be 0..128, got 129"
    })
    void badNetworksAreRejectedSayingWhy(String cidr, String message) {
        assertThatThrownBy(() -> IpNetwork.parse(cidr)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
