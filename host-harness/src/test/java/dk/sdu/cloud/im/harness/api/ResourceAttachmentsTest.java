package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.store.JobSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jobs/attachResource} and {@code jobs/detachResource}, and a changed resource applied to its jobs. */
class ResourceAttachmentsTest {
    @TempDir
    Path dir;

    private final RecordingBackend backend = new RecordingBackend();
    private final AtomicReference<ResourceAttachments> attachments = new AtomicReference<>();
    private ApiFixture api;

    private void start() {
        api = ApiFixture.withCalls(dir, backend, (store, backends) -> {
            attachments.set(new ResourceAttachments(store, backends, ExampleJobs.JSON, Clock.systemUTC()));
            return attachments.get().calls();
        });
        assertThat(api.post(ApiFixture.JOBS, ExampleJobs.bulk(ExampleJobs.vmJob("7"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
    }

    @AfterEach
    void close() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void attachAppliesTheResourceAndRecordsItInTheStoredJob() {
        start();

        HttpResponse<String> response = api.post(ApiFixture.JOBS + "/attachResource", request("7", network("ip-1")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(backend.calls()).contains("attachResource 7 network:ip-1 [ip-1]");
        assertThat(resourcesOfStoredJob("7")).contains("\"id\":\"ip-1\"");
    }

    @Test
    void attachRefusedByTheBackendChangesNothing() {
        start();
        backend.rejectResource("ip-2", "You do not hold public IP ip-2.");

        HttpResponse<String> response = api.post(ApiFixture.JOBS + "/attachResource", request("7", network("ip-2")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(response).get("why").asString()).contains("You do not hold public IP ip-2")
                .contains("nothing was changed");
        assertThat(resourcesOfStoredJob("7")).doesNotContain("ip-2");
    }

    @Test
    void detachRemovesTheResource() {
        start();
        api.post(ApiFixture.JOBS + "/attachResource", request("7", network("ip-1")));

        HttpResponse<String> response = api.post(ApiFixture.JOBS + "/detachResource", request("7", network("ip-1")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(backend.calls()).contains("detachResource 7 network:ip-1 []");
        assertThat(resourcesOfStoredJob("7")).doesNotContain("ip-1");
    }

    @Test
    void anUnknownJobIs404() {
        start();
        HttpResponse<String> response = api.post(ApiFixture.JOBS + "/attachResource", request("8", network("ip-1")));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiFixture.json(response).get("why").asString()).contains("8");
    }

    @Test
    void aResourceTypeThatCannotBeAttachedIsRefused() {
        start();
        ObjectNode folder = ExampleJobs.JSON.createObjectNode().put("type", "file").put("path", "/1/x");
        HttpResponse<String> response = api.post(ApiFixture.JOBS + "/attachResource", request("7", folder));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiFixture.json(response).get("why").asString()).contains("resource.type");
        assertThat(backend.calls()).noneMatch(call -> call.startsWith("attachResource"));
    }

    @Test
    void aChangedResourceIsAppliedAgainToTheJobsThatHaveIt() {
        start();
        assertThat(api.post(ApiFixture.JOBS, ExampleJobs.bulk(ExampleJobs.vmJob("8"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
        api.post(ApiFixture.JOBS + "/attachResource", request("7", network("ip-1")));

        attachments.get().resourceChanged(ResourceAttachments.PUBLIC_IP, "ip-1");

        assertThat(backend.calls().stream().filter(c -> c.startsWith("attachResource"))).containsExactly(
                "attachResource 7 network:ip-1 [ip-1]", "attachResource 7 network:ip-1 [ip-1]");
    }

    private String resourcesOfStoredJob(String id) {
        assertThat(api.store.list()).extracting(JobSummary::id).contains(id);
        JsonNode job = ExampleJobs.JSON.readTree(api.store.find(id).orElseThrow().json());
        return job.path("specification").path("resources").toString();
    }

    private static ObjectNode network(String id) {
        return ExampleJobs.JSON.createObjectNode().put("type", "network").put("id", id);
    }

    private static String request(String jobId, ObjectNode resource) {
        ObjectNode body = ExampleJobs.JSON.createObjectNode();
        body.set("job", ExampleJobs.vmJob(jobId));
        body.set("resource", resource);
        return ExampleJobs.JSON.writeValueAsString(body);
    }

}
