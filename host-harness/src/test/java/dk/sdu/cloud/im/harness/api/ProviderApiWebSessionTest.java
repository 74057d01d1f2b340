package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.spi.network.PublicLink;
import dk.sdu.cloud.im.spi.network.ResourceOwner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.JSON;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static org.assertj.core.api.Assertions.assertThat;

/** WEB interactive sessions: a job's public link, or a clear refusal. And the support flags with links on. */
class ProviderApiWebSessionTest {
    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() {
        PublicLinkStore links = PublicLinkStore.inMemory();
        links.putAll(List.of(new PublicLink("41", new ResourceOwner("user", null), "app-first.apps.example.org"),
                new PublicLink("42", new ResourceOwner("user", null), "app-second.apps.example.org")));
        api = ApiFixture.start(dir, ProviderApiIngressesTest.LINKS, links);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ObjectNode jobWithLinks(String id, Integer... ports) {
        ObjectNode job = ExampleJobs.vmJob(id);
        ArrayNode resources = ((ObjectNode) job.get("specification")).putArray("resources");
        for (int i = 0; i < ports.length; i++) {
            ObjectNode link = resources.addObject().put("type", "ingress").put("id", String.valueOf(41 + i));
            if (ports[i] != null) {
                link.put("port", ports[i]);
            }
        }
        assertThat(api.post(JOBS, bulk(job)).statusCode()).isEqualTo(200);
        return job;
    }

    private HttpResponse<String> openWeb(ObjectNode job, String target) {
        ObjectNode item = JSON.createObjectNode();
        item.set("job", job);
        item.put("rank", 0);
        item.put("sessionType", "WEB");
        if (target != null) {
            item.put("target", target);
        }
        return api.post(JOBS + "/interactiveSession", bulk(item));
    }

    @Test
    void aWebSessionSendsTheUserToTheJobsFirstLink() {
        ObjectNode job = jobWithLinks("8001", 8080, 9000);

        HttpResponse<String> response = openWeb(job, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.writeValueAsString(json(response).get("responses").get(0))).isEqualTo("{\"type\":\"web\","
                + "\"jobId\":\"8001\",\"rank\":0,\"redirectClientTo\":\"https://app-first.apps.example.org\","
                + "\"domainOverride\":null}");
        assertThat(json(openWeb(job, "app-second.apps.example.org")).at("/responses/0/redirectClientTo").asString())
                .isEqualTo("https://app-second.apps.example.org");
    }

    @Test
    void aJobWithoutLinksHasNoWebAddress() {
        ObjectNode job = jobWithLinks("8002");

        HttpResponse<String> response = openWeb(job, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/items/0/why").asString()).isEqualTo("items[0]: job 8002 has no public link, "
                + "and a virtual machine has no web address of its own; add a public link to the job, bound to the "
                + "port its web server listens on");
    }

    @Test
    void aJobWhoseLinksHaveNoPortIsToldToBindOne() {
        ObjectNode job = jobWithLinks("8003", (Integer) null);

        HttpResponse<String> response = openWeb(job, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/items/0/why").asString()).contains("are bound to no port; bind a link to the "
                + "port of the virtual machine");
    }

    @Test
    void withLinksTheWebAndLinkBindingAreSupported() {
        JsonNode vm = json(api.get(JOBS + "/retrieveProducts")).at("/responses/0/virtualMachine");

        assertThat(vm.get("web").asBoolean()).isTrue();
        assertThat(vm.get("bindLinkToPort").asBoolean()).isTrue();
        assertThat(vm.get("vnc").asBoolean()).isTrue();
    }
}
