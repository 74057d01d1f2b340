package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import dk.sdu.cloud.im.testdata.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resources file of {@code render --resources}: the example reads whole, and every fault is named. */
class NetworkResourcesFileTest {
    private static final ResourceOwner ALICE = new ResourceOwner("alice#1234", null);

    private static FixedNetworkResources parse(String json) {
        return NetworkResourcesFile.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theExampleFileReadsIntoTheSpiRecords() {
        FixedNetworkResources resources = parse(TestData.read(TestData.NETWORK_RESOURCES));

        assertThat(resources.publicIp("4501")).contains(new PublicIp("4501", ALICE, "203.0.113.20", "10.135.0.20",
                List.of(new PortRange(22, 22, IpProtocol.TCP), new PortRange(8000, 8100, IpProtocol.TCP),
                        new PortRange(51820, 51820, IpProtocol.UDP))));
        assertThat(resources.publicLink("4601")).contains(new PublicLink("4601", ALICE,
                "app-notebook.apps.hpc.example.org"));
        assertThat(resources.publicLink("4602")).contains(new PublicLink("4602", ALICE,
                "app-dashboard.apps.hpc.example.org"));
        assertThat(resources.privateNetwork("4701")).contains(new PrivateNetwork("4701", ALICE, "analysis cluster",
                "analysis-cluster"));
        assertThat(resources.publicIp("4601")).as("ids are looked up per kind").isEmpty();
    }

    @Test
    void leftOutArraysAreEmptyAndAProjectOwnerIsKept() {
        FixedNetworkResources resources = parse("""
                {"privateNetworks": [{"id": "7", "owner": {"createdBy": "bob#2", "project": "p-42"},
                                      "name": "n", "subdomain": "s"}]}
                """);
        assertThat(resources.privateNetwork("7")).map(PrivateNetwork::owner)
                .contains(new ResourceOwner("bob#2", "p-42"));
        assertThat(parse("{}").publicIp("4501")).isEmpty();
        assertThat(parse("""
                {"publicIps": [{"id": "1", "owner": {"createdBy": "a"}, "externalAddress": "e",
                                "internalAddress": "i"}]}
                """).publicIp("1")).map(PublicIp::openPorts).contains(List.of());
    }

    private static final String IP = """
            {"publicIps": [{"id": "4501", "owner": {"createdBy": "alice#1234", "project": null},
              "externalAddress": "203.0.113.20", "internalAddress": "10.135.0.20",
              "openPorts": [{"start": 22, "end": 22, "protocol": "TCP"}, {"start": 80, "end": 90, "protocol": "UDP"}]}],
             "publicLinks": [{"id": "4601", "owner": {"createdBy": "alice#1234", "project": null}, "domain": "d"}]}
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a misspelt top-level array      | "publicLinks"                 | "publicLinkz"                 | publicLinkz: unknown field; expected one of publicIps, publicLinks, privateNetworks
            a misspelt field of a resource  | "domain"                      | "domian"                      | publicLinks[0].domian: unknown field; expected one of id, owner, domain
            a misspelt field of an owner    | "project": null}, "domain"    | "projekt": null}, "domain"    | publicLinks[0].owner.projekt: unknown field; expected one of createdBy, project
            a missing field                 | "internalAddress": "10.135.0.20", |                               | publicIps[0].internalAddress: missing
            an empty string                 | "externalAddress": "203.0.113.20" | "externalAddress": ""     | publicIps[0].externalAddress: expected a non-empty string, got the string ""
            a port as a string              | "start": 80                   | "start": "80"                 | publicIps[0].openPorts[1].start: expected a port number, got the string "80"
            a protocol UCloud has not       | "protocol": "UDP"             | "protocol": "SCTP"            | publicIps[0].openPorts[1].protocol: expected TCP or UDP, got "SCTP"
            a range that ends before it starts | "end": 90                  | "end": 70                     | publicIps[0].openPorts[1]: a port range is 1 <= start <= end <= 65535, got 80-70
            a port above 65535              | "end": 90                     | "end": 70000                  | publicIps[0].openPorts[1]: a port range is 1 <= start <= end <= 65535, got 80-70000
            open ports that are no array    | "openPorts": [{"start": 22, "end": 22, "protocol": "TCP"}, {"start": 80, "end": 90, "protocol": "UDP"}] | "openPorts": "22" | publicIps[0].openPorts: expected an array, got the string "22"
            a project that is no string     | "project": null}, "domain"    | "project": 7}, "domain"       | publicLinks[0].owner.project: expected a string or null, got the number 7
            a resource that is no object    | "publicLinks": [{             | "publicLinks": [7, {          | publicLinks[0]: expected an object, got the number 7
            """)
    void aFaultIsNamedByWhereItIs(String fault, String valid, String wrong, String message) {
        String json = IP.replace(valid, wrong == null ? "" : wrong);
        assertThat(json).as("the test changes the file").isNotEqualTo(IP);
        assertThatThrownBy(() -> parse(json)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void twoResourcesOfAKindWithOneIdAreRefused() {
        String twice = IP.replace("\"domain\": \"d\"}]", "\"domain\": \"d\"}, {\"id\": \"4601\", "
                + "\"owner\": {\"createdBy\": \"x\"}, \"domain\": \"e\"}]");
        assertThatThrownBy(() -> parse(twice))
                .hasMessage("publicLinks[1].id: \"4601\" is the id of an earlier element too");
    }

    @Test
    void aFileThatIsNoJsonObjectIsRefused() {
        assertThatThrownBy(() -> parse("{ nope")).hasMessageStartingWith("malformed JSON at line 1");
        assertThatThrownBy(() -> parse("[]")).hasMessage("expected a JSON object with publicIps, publicLinks and "
                + "privateNetworks, got an array");
        assertThatThrownBy(() -> parse("{} {}")).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> parse("{\"publicIps\": [], \"publicIps\": []}"))
                .hasMessageStartingWith("malformed JSON").hasMessageContaining("publicIps");
    }
}
