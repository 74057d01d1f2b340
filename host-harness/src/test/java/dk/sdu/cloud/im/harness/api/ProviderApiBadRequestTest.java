package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/** Each malformed request gets its own status and a JSON message that says what is wrong; nothing happens. */
class ProviderApiBadRequestTest {
    private static final long LIMIT = 64 * 1024;

    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(dir, LIMIT, Duration.ofSeconds(5), new RecordingBackend(), List.of());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String why(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).as("content type of " + response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return json(response).get("why").asString();
    }

    private void assertNothingHappened() {
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
    }

    @Test
    void malformedJsonIs400AndSaysWhere() {
        HttpResponse<String> response = api.post(JOBS, "{\"items\": [\n  {\"id\": \"1\",}\n]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).startsWith("malformed JSON at line 2, column ");
        assertNothingHappened();
    }

    @Test
    void trailingGarbageAfterTheJsonIs400() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("1")) + " {}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).startsWith("malformed JSON");
        assertNothingHappened();
    }

    @Test
    void aWrongTypeIs400AndNamesTheField() {
        ObjectNode job = vmJob("1");
        ((ObjectNode) job.get("specification")).put("sshEnabled", "yes");

        HttpResponse<String> response = api.post(JOBS, bulk(job));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .isEqualTo("items[0].specification.sshEnabled: expected true or false, got the string \"yes\"");
        assertNothingHappened();
    }

    @Test
    void anUnknownEnumValueIs400AndListsTheAllowedValues() {
        ObjectNode job = vmJob("1");
        ((ObjectNode) job.get("status")).put("state", "DANCING");

        HttpResponse<String> response = api.post(JOBS, bulk(job));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .startsWith("items[0].status.state: expected one of IN_QUEUE, RUNNING")
                .endsWith("got the string \"DANCING\"");
        assertNothingHappened();
    }

    @Test
    void anObjectWhereAListBelongsIs400AndNamesTheField() {
        ObjectNode job = vmJob("1");
        ((ObjectNode) job.get("specification")).putObject("resources");

        HttpResponse<String> response = api.post(JOBS, bulk(job));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString())
                .isEqualTo("items[0].specification.resources: expected an array, got an object");
        assertNothingHappened();
    }

    @Test
    void missingItemsIs400() {
        HttpResponse<String> response = api.post(JOBS, "{\"jobs\": []}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).startsWith("missing 'items'");
        assertNothingHappened();
    }

    @Test
    void itemsThatAreNotAnArrayAre400() {
        HttpResponse<String> response = api.post(JOBS, "{\"items\": {\"id\": \"1\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).isEqualTo("'items' must be an array, got an object");
        assertNothingHappened();
    }

    @Test
    void emptyItemsAre400() {
        HttpResponse<String> response = api.post(JOBS, "{\"items\": []}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).isEqualTo("'items' is empty: nothing to do");
        assertNothingHappened();
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        HttpResponse<String> response = api.post(JOBS, "[1, 2]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).isEqualTo("the request body must be a JSON object, got an array");
    }

    @Test
    void anEmptyBodyIs400() {
        HttpResponse<String> response = api.post(JOBS, "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(why(response)).startsWith("the request body is empty");
    }

    @Test
    void anOversizedBodyIs413() {
        ObjectNode job = vmJob("1");
        ((ObjectNode) job.get("specification")).put("name", "x".repeat((int) LIMIT));

        HttpResponse<String> response = api.post(JOBS, bulk(job));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(why(response)).isEqualTo("the request body is larger than the limit of " + LIMIT + " bytes");
        assertNothingHappened();
    }

    @Test
    void anOversizedChunkedBodyIs413() {
        byte[] big = bulk(vmJob("1")).replace("my analysis vm", "y".repeat((int) LIMIT)).getBytes();
        // ofInputStream has no known length, so the client sends it chunked, without Content-Length.
        HttpResponse<String> response = api.send(api.request(JOBS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));

        assertThat(response.statusCode()).isEqualTo(413);
        assertNothingHappened();
    }

    @Test
    void anUnknownRouteIs404Json() {
        HttpResponse<String> response = api.get(JOBS + "/nonsense");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(why(response)).isEqualTo("no such route: GET " + JOBS + "/nonsense");
    }

    @Test
    void aWrongMethodIs405Json() {
        HttpResponse<String> response = api.get(JOBS + "/terminate");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(why(response)).isEqualTo("method GET is not allowed on " + JOBS + "/terminate");
    }

    @Test
    void anotherProvidersPathIs404() {
        HttpResponse<String> response = api.post("/ucloud/someone-else/jobs", bulk(vmJob("1")));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(why(response)).isEqualTo("unknown provider 'someone-else'");
        assertNothingHappened();
    }

    @Test
    void suspendItemsWithoutAJobAre400() {
        HttpResponse<String> response = api.post(JOBS + "/suspend", bulk(vmJob("1")));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode items = json(response).get("items");
        assertThat(items.get(0).get("why").asString())
                .isEqualTo("items[0]: expected {\"job\": {...}}, got an object without 'job'");
        assertNothingHappened();
    }
}
