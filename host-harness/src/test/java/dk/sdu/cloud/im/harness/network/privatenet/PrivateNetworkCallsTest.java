package dk.sdu.cloud.im.harness.network.privatenet;

import dk.sdu.cloud.im.harness.api.ApiFixture;
import dk.sdu.cloud.im.harness.api.ApiSettings;
import dk.sdu.cloud.im.harness.api.PrivateNetworkCalls;
import dk.sdu.cloud.im.harness.api.ProviderApiServer;
import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider API of private networks on a real server, authenticated as Core's calls are: what is created and
 * deleted, each refusal rule with its JSON body, and that a refused request keeps nothing.
 */
class PrivateNetworkCallsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BASE = "/ucloud/" + ApiFixture.PROVIDER + "/private-networks";

    @TempDir
    Path dir;

    private H2JobStore jobs;
    private FilePrivateNetworkStore networks;
    private ProviderApiServer server;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        jobs = H2JobStore.open(dir.resolve("jobs"), Clock.systemUTC());
        networks = FilePrivateNetworkStore.open(dir.resolve("data"));
        server = new ProviderApiServer(new ApiSettings("127.0.0.1", 0, ApiSettings.DEFAULT_MAX_BODY_BYTES,
                Duration.ofSeconds(5)), ApiFixture.jwtAuthenticator(dir, Clock.systemUTC()),
                new ProviderSettings(ApiFixture.PROVIDER, Set.of()), jobs, List.of(), List::of,
                new HarnessMetrics(jobs), ids -> { }, Clock.systemUTC(), Optional.empty(), List.of(), List.of(),
                PublicLinkSettings.disabled(), PublicLinkStore.inMemory(), new PrivateNetworkCalls(ApiFixture.PROVIDER, networks).calls());
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        jobs.close();
    }

    private static String network(String id, String name, String subdomain) {
        return """
                {"id": "%s", "specification": {"name": "%s", "subdomain": "%s",
                 "product": {"id": "private-network", "category": "private-network", "provider": "k8s"}},
                 "owner": {"createdBy": "alice", "project": "p1"}, "status": {"members": []}}"""
                .formatted(id, name, subdomain);
    }

    private static String items(String... items) {
        return "{\"items\": [" + String.join(", ", items) + "]}";
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        ApiFixture.CREDENTIALS.headers().forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    @Test
    void createKeepsTheNetworksAcrossARestartAndDeleteForgetsThem() {
        HttpResponse<String> created = send("POST", BASE, items(network("n1", "Lab", "lab"),
                network("n2", "Cluster", "cluster-a")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(json(created).path("responses")).hasSize(2);
        assertThat(networks.find("n1")).contains(new PrivateNetwork("n1", new ResourceOwner("alice", "p1"), "Lab",
                "lab"));
        assertThat(FilePrivateNetworkStore.open(dir.resolve("data")).all()).extracting(PrivateNetwork::subdomain)
                .containsExactly("lab", "cluster-a");

        assertThat(send("POST", BASE, items(network("n1", "Lab", "lab"))).statusCode())
                .as("the same create again (Core retrying) is fine").isEqualTo(200);

        HttpResponse<String> deleted = send("DELETE", BASE, items(network("n1", "Lab", "lab")));
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(networks.find("n1")).isEmpty();
        assertThat(FilePrivateNetworkStore.open(dir.resolve("data")).all()).extracting(PrivateNetwork::id)
                .containsExactly("n2");
        assertThat(send("DELETE", BASE, items(network("n1", "Lab", "lab"))).statusCode())
                .as("deleting an unknown network is fine").isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "j|reserved",
            "j-mine|reserved",
            "vm-1|reserved",
            "ucloud|reserved",
            "im-net|reserved",
            "policy-x|reserved",
            "Lab|lowercase letters",
            "lab.net|lowercase letters",
            "-lab|lowercase letters",
            "lab-|lowercase letters",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdef|at most 55",
    })
    void aBadSubdomainIsRefusedNamingItAndNothingIsCreated(String subdomain, String reason) {
        HttpResponse<String> response = send("POST", BASE, items(network("ok", "Fine", "fine"),
                network("bad", "Bad", subdomain)));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = json(response).path("items").get(0);
        assertThat(problem.path("index").asInt()).isEqualTo(1);
        assertThat(problem.path("id").asString()).isEqualTo("bad");
        assertThat(problem.path("why").asString()).contains("subdomain").contains(reason);
        assertThat(networks.all()).as("all or none").isEmpty();
    }

    @Test
    void aBadNameOrAMissingIdOrOwnerIsRefused() {
        String noId = network("", "Lab", "lab");
        String noOwner = network("n3", "Lab", "lab3").replace("\"createdBy\": \"alice\", ", "");
        String newline = network("n4", "two\\nlines", "lab4");
        String empty = network("n5", "", "lab5");

        HttpResponse<String> response = send("POST", BASE, items(noId, noOwner, newline, empty));

        assertThat(response.statusCode()).isEqualTo(400);
        List<String> why = json(response).path("items").valueStream().map(p -> p.path("why").asString()).toList();
        assertThat(why).hasSize(4);
        assertThat(why.get(0)).contains("'id' is missing");
        assertThat(why.get(1)).contains("'owner.createdBy' is missing");
        assertThat(why.get(2)).contains("'specification.name'").contains("new lines");
        assertThat(why.get(3)).contains("'specification.name' is missing");
        assertThat(networks.all()).isEmpty();
    }

    @Test
    void aSubdomainTakenIgnoringCaseOrTwiceInOneRequestIsRefusedAndNothingIsCreated() {
        assertThat(send("POST", BASE, items(network("n1", "Lab", "lab"))).statusCode()).isEqualTo(200);

        HttpResponse<String> taken = send("POST", BASE, items(network("n2", "Other", "other"),
                network("n3", "Lab again", "lab")));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(json(taken).path("why").asString()).contains("'lab' is taken");
        assertThat(networks.all()).extracting(PrivateNetwork::id).containsExactly("n1");

        HttpResponse<String> twice = send("POST", BASE, items(network("n4", "A", "same"), network("n5", "B", "same")));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json(twice).path("items").get(0).path("why").asString()).contains("also asked for by items[0]");

        HttpResponse<String> otherContent = send("POST", BASE, items(network("n1", "Renamed", "lab")));
        assertThat(otherContent.statusCode()).isEqualTo(409);
        assertThat(json(otherContent).path("why").asString()).contains("id n1");
        assertThat(networks.all()).extracting(PrivateNetwork::id).containsExactly("n1");
    }

    @Test
    void aNetworkWithMembersIsNotDeleted() {
        send("POST", BASE, items(network("n1", "Lab", "lab")));

        HttpResponse<String> response = send("DELETE", BASE,
                items(network("n1", "Lab", "lab").replace("\"members\": []", "\"members\": [\"51\", \"52\"]")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("items").get(0).path("why").asString()).contains("in use by job(s) 51, 52");
        assertThat(networks.find("n1")).isPresent();
    }

    @Test
    void productsVerifyAclAndLabelsAnswerAsUCloudsIm() {
        HttpResponse<String> products = send("GET", BASE + "/retrieveProducts", null);
        assertThat(products.statusCode()).isEqualTo(200);
        JsonNode product = json(products).path("responses").get(0).path("product");
        assertThat(product.path("id").asString()).isEqualTo("private-network");
        assertThat(product.path("category").asString()).isEqualTo("private-network");
        assertThat(product.path("provider").asString()).isEqualTo(ApiFixture.PROVIDER);

        assertThat(send("POST", BASE + "/verify", items(network("n1", "Lab", "lab"))).statusCode()).isEqualTo(200);
        HttpResponse<String> acl = send("POST", BASE + "/updateAcl",
                items("{\"resource\": " + network("n1", "Lab", "lab") + ", \"added\": [], \"deleted\": []}"));
        assertThat(acl.statusCode()).isEqualTo(200);
        assertThat(json(acl).path("responses")).hasSize(1);
        assertThat(send("POST", BASE + "/onUpdatedLabels", items(network("n1", "Lab", "lab"))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anotherProviderIdOrNoTokenIsRefused() {
        HttpResponse<String> other = send("POST", "/ucloud/other/private-networks", items(network("n1", "Lab", "lab")));
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json(other).path("why").asString()).contains("unknown provider 'other'");

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + BASE))
                .POST(HttpRequest.BodyPublishers.ofString(items(network("n1", "Lab", "lab")))).build();
        try {
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(networks.all()).isEmpty();
    }
}
