package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.core.CoreCallException;
import dk.sdu.cloud.im.harness.core.CorePublicIpControl;
import dk.sdu.cloud.im.harness.core.CoreTransport;
import dk.sdu.cloud.im.harness.settings.PublicIpsConfig;
import dk.sdu.cloud.im.spi.network.IpProtocol;
import dk.sdu.cloud.im.spi.network.PortRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider API of public IPs, {@code /ucloud/<id>/networkips}, over a real server and pool file. */
class PublicIpCallsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String IPS = "/ucloud/" + ApiFixture.PROVIDER + "/networkips";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final FakeCore core = new FakeCore();
    private final List<String> firewallChanges = new CopyOnWriteArrayList<>();
    private PublicIpStore store;
    private ApiFixture api;

    private ApiFixture start(PublicIpsConfig config) {
        store = PublicIpStore.in(dir.resolve("data"));
        api = ApiFixture.withCalls(dir, new RecordingBackend(), (jobs, backends) -> new PublicIpCalls(store, config,
                ApiFixture.PROVIDER, new CorePublicIpControl(core), firewallChanges::add, CLOCK).calls());
        return api;
    }

    private ApiFixture start() {
        return start(new PublicIpsConfig(true, "public-ip", 10));
    }

    @AfterEach
    void close() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void createGivesAFreeAddressAndTellsCore() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10=10.0.0.10"))));

        HttpResponse<String> response = api.post(IPS, bulk(ip("ip-1", "alice", null)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ApiFixture.json(response).get("responses")).hasSize(1);
        assertThat(store.read().publicIp("ip-1")).hasValueSatisfying(ip -> {
            assertThat(ip.externalAddress()).isEqualTo("192.0.2.10");
            assertThat(ip.internalAddress()).isEqualTo("10.0.0.10");
            assertThat(ip.owner().createdBy()).isEqualTo("alice");
        });
        assertThat(core.posts).hasSize(1);
        JsonNode update = core.posts.get(0).get("items").get(0);
        assertThat(update.get("id").asString()).isEqualTo("ip-1");
        assertThat(update.get("update").get("state").asString()).isEqualTo("READY");
        assertThat(update.get("update").get("changeIpAddress").asBoolean()).isTrue();
        assertThat(update.get("update").get("newIpAddress").asString()).isEqualTo("192.0.2.10");
        assertThat(update.get("update").get("timestamp").asLong()).isEqualTo(CLOCK.millis());
    }

    @Test
    void createWithAFirewallKeepsItsRanges() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));

        HttpResponse<String> response = api.post(IPS, bulk(ip("ip-1", "alice", ranges(range(80, 81, "TCP")))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(store.read().publicIp("ip-1").orElseThrow().openPorts())
                .containsExactly(new PortRange(80, 81, IpProtocol.TCP));
    }

    @Test
    void anEmptyPoolRefusesAndAllocatesNothing() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));

        HttpResponse<String> response = api.post(IPS, bulk(ip("ip-1", "alice", null), ip("ip-2", "bob", null)));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = ApiFixture.json(response);
        assertThat(error.get("why").asString()).contains("no more public IP addresses").contains("nothing was allocated");
        assertThat(error.get("items").toString()).contains("ip-1").contains("ip-2");
        assertThat(store.read().allocations()).isEmpty();
        assertThat(core.posts).isEmpty();
    }

    @Test
    void createIsRefusedWhenPublicIpsAreNotOffered() {
        start(PublicIpsConfig.DISABLED);
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));

        HttpResponse<String> response = api.post(IPS, bulk(ip("ip-1", "alice", null)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(response).get("why").asString()).contains("services.compute.publicIps.enabled");
        assertThat(store.read().allocations()).isEmpty();
    }

    @Test
    void createWithABadFirewallAllocatesNothing() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));

        HttpResponse<String> response = api.post(IPS, bulk(ip("ip-1", "alice", ranges(range(0, 10, "TCP")))));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(response).get("items").get(0).get("why").asString())
                .contains("items[0].specification.firewall.openPorts[0]").contains("0-10");
        assertThat(store.read().allocations()).isEmpty();
    }

    @Test
    void anAddressCoreRefusesIsFreedAgain() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));
        core.failing = true;

        HttpResponse<String> response = api.post(IPS, bulk(ip("ip-1", "alice", null)));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(ApiFixture.json(response).get("items").get(0).get("why").asString()).contains("192.0.2.10");
        assertThat(store.read().allocations()).isEmpty();
    }

    @Test
    void deleteFreesTheAddress() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));
        api.post(IPS, bulk(ip("ip-1", "alice", null)));

        HttpResponse<String> response = api.delete(IPS, bulk(ip("ip-1", "alice", null)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(store.read().allocations()).isEmpty();
        assertThat(store.read().free()).hasSize(1);
    }

    @Test
    void deleteOfAnIpBoundToAJobIsRefusedAndFreesNothing() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"), PoolEntry.parse("192.0.2.11"))));
        api.post(IPS, bulk(ip("ip-1", "alice", null), ip("ip-2", "alice", null)));
        ObjectNode bound = ip("ip-2", "alice", null);
        bound.putObject("status").putArray("boundTo").add("job-7");

        HttpResponse<String> response = api.delete(IPS, bulk(ip("ip-1", "alice", null), bound));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(response).get("items").get(0).get("why").asString()).contains("job-7");
        assertThat(store.read().allocations()).hasSize(2);
    }

    @Test
    void firewallChangesTheRangesAndTellsTheBoundJobs() {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));
        api.post(IPS, bulk(ip("ip-1", "alice", null)));

        HttpResponse<String> response = api.post(IPS + "/firewall",
                bulk(firewall("ip-1", range(8000, 8001, "TCP"), range(8000, 8001, "UDP"))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(store.read().publicIp("ip-1").orElseThrow().openPorts()).containsExactly(
                new PortRange(8000, 8001, IpProtocol.TCP), new PortRange(8000, 8001, IpProtocol.UDP));
        assertThat(firewallChanges).containsExactly("ip-1");
    }

    @Test
    void firewallRefusesAPortBelowOne() {
        assertFirewallRefused("openPorts[0]: 0-22", range(0, 22, "TCP"));
    }

    @Test
    void firewallRefusesAPortAbove65535() {
        assertFirewallRefused("openPorts[0]: 65535-65536", range(65535, 65536, "TCP"));
    }

    @Test
    void firewallRefusesAStartAfterItsEnd() {
        assertFirewallRefused("openPorts[0]: 90-80", range(90, 80, "TCP"));
    }

    @Test
    void firewallRefusesAnUnknownProtocol() {
        assertFirewallRefused("openPorts[0]: protocol must be TCP or UDP", range(80, 80, "SCTP"));
    }

    @Test
    void firewallRefusesOverlappingRangesOfOneProtocol() {
        assertFirewallRefused("openPorts[1]: TCP 85-90 overlaps TCP 80-85", range(80, 85, "TCP"), range(85, 90, "TCP"));
    }

    @Test
    void firewallRefusesMorePortsThanTheMaximum() {
        assertFirewallRefused("opens 11 ports, more than the 10", range(80, 85, "TCP"), range(80, 84, "UDP"));
    }

    @Test
    void firewallOfAnUnknownIpIsRefused() {
        start();
        HttpResponse<String> response = api.post(IPS + "/firewall", bulk(firewall("ip-9", range(80, 80, "TCP"))));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(response).get("items").get(0).get("why").asString())
                .contains("ip-9 has no address at this provider");
        assertThat(firewallChanges).isEmpty();
    }

    @Test
    void productsNameTheConfiguredProductWithFirewallSupport() {
        start(new PublicIpsConfig(true, "my-ips", 10));
        HttpResponse<String> response = api.get(IPS + "/retrieveProducts");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode support = ApiFixture.json(response).get("responses").get(0);
        assertThat(support.get("product").get("id").asString()).isEqualTo("my-ips");
        assertThat(support.get("product").get("category").asString()).isEqualTo("my-ips");
        assertThat(support.get("product").get("provider").asString()).isEqualTo(ApiFixture.PROVIDER);
        assertThat(support.get("firewall").get("enabled").asBoolean()).isTrue();
    }

    @Test
    void noProductsWhenNotEnabled() {
        start(PublicIpsConfig.DISABLED);
        assertThat(ApiFixture.json(api.get(IPS + "/retrieveProducts")).get("responses")).isEmpty();
    }

    @Test
    void aclLabelsAndVerifyAreAccepted() {
        start();
        assertThat(api.post(IPS + "/updateAcl", bulk(JSON.createObjectNode())).statusCode()).isEqualTo(200);
        assertThat(api.post(IPS + "/onUpdatedLabels", bulk(ip("ip-1", "alice", null))).statusCode()).isEqualTo(200);
        assertThat(api.post(IPS + "/verify", bulk(ip("ip-1", "alice", null))).statusCode()).isEqualTo(200);
    }

    private void assertFirewallRefused(String expected, ObjectNode... ranges) {
        start();
        store.change(state -> state.add(List.of(PoolEntry.parse("192.0.2.10"))));
        api.post(IPS, bulk(ip("ip-1", "alice", ranges(range(22, 22, "TCP")))));

        HttpResponse<String> response = api.post(IPS + "/firewall", bulk(firewall("ip-1", ranges)));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = ApiFixture.json(response);
        assertThat(error.get("why").asString()).contains("nothing was changed");
        assertThat(error.get("items").get(0).get("why").asString()).contains(expected);
        assertThat(store.read().publicIp("ip-1").orElseThrow().openPorts())
                .containsExactly(new PortRange(22, 22, IpProtocol.TCP));
        assertThat(firewallChanges).isEmpty();
    }

    static ObjectNode ip(String id, String createdBy, ObjectNode firewall) {
        ObjectNode ip = JSON.createObjectNode();
        ip.put("id", id);
        ip.putObject("owner").put("createdBy", createdBy).putNull("project");
        ObjectNode specification = ip.putObject("specification");
        specification.putObject("product").put("id", "public-ip").put("category", "public-ip")
                .put("provider", ApiFixture.PROVIDER);
        if (firewall != null) {
            specification.set("firewall", firewall);
        }
        return ip;
    }

    static ObjectNode firewall(String id, ObjectNode... ranges) {
        ObjectNode item = JSON.createObjectNode();
        item.set("networkIp", ip(id, "alice", null));
        item.set("firewall", ranges(ranges));
        return item;
    }

    static ObjectNode ranges(ObjectNode... ranges) {
        ObjectNode firewall = JSON.createObjectNode();
        ArrayNode open = firewall.putArray("openPorts");
        for (ObjectNode range : ranges) {
            open.add(range);
        }
        return firewall;
    }

    static ObjectNode range(int start, int end, String protocol) {
        return JSON.createObjectNode().put("start", start).put("end", end).put("protocol", protocol);
    }

    static String bulk(JsonNode... items) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("items");
        for (JsonNode item : items) {
            array.add(item);
        }
        return JSON.writeValueAsString(body);
    }

    /** Core as a transport that records what it is sent, and can refuse. */
    static final class FakeCore implements CoreTransport {
        final List<JsonNode> posts = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public JsonNode post(String path, Object body) throws CoreCallException {
            if (failing) {
                throw new CoreCallException("POST " + path, 403, "not this provider's");
            }
            assertThat(path).isEqualTo(CorePublicIpControl.UPDATE);
            posts.add(JSON.valueToTree(body));
            return JSON.nullNode();
        }

        @Override
        public JsonNode get(String path, Map<String, String> query) {
            throw new UnsupportedOperationException(path);
        }
    }
}
