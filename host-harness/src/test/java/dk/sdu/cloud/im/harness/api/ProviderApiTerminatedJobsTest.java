package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.wrappedBulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A terminated job stays terminated: nothing brings it back, and terminating it again changes nothing. */
class ProviderApiTerminatedJobsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void createAndTerminate() {
        api = ApiFixture.start(dir);
        assertThat(api.post(JOBS, bulk(vmJob("1"), vmJob("2"))).statusCode()).isEqualTo(200);
        awaitCalls("start", 2);
        HttpResponse<String> terminated = api.post(JOBS + "/terminate", bulk(vmJob("1")));
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(200);
        awaitCalls("terminate", 1);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void awaitCalls(String operation, int count) {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(api.backend.calls(operation)).hasSize(count));
    }

    @ParameterizedTest
    @ValueSource(strings = {"suspend", "unsuspend"})
    void suspendingOrUnsuspendingATerminatedJobIsRefusedAndNothingIsDone(String operation) {
        HttpResponse<String> response = api.post(JOBS + "/" + operation, wrappedBulk(vmJob("2"), vmJob("1")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode error = json(response);
        assertThat(error.get("why").asString()).isEqualTo("1 of 2 jobs have ended; nothing was done");
        assertThat(error.get("items")).hasSize(1);
        assertThat(error.get("items").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(error.get("items").get(0).get("id").asString()).isEqualTo("1");
        assertThat(error.get("items").get(0).get("why").asString()).isEqualTo("job 1 was terminated");
        // Job 2 of the same bulk is not touched either; a later request about job 2 is carried out.
        assertThat(api.post(JOBS + "/terminate", bulk(vmJob("2"))).statusCode()).isEqualTo(200);
        awaitCalls("terminate", 2);
        assertThat(api.backend.calls(operation)).isEmpty();
        assertThat(api.backend.calls("start")).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void creatingATerminatedJobAgainIsRefusedAndCreatesNothing() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("3"), vmJob("1")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode error = json(response);
        assertThat(error.get("why").asString()).isEqualTo("1 of 2 jobs have ended; nothing was created");
        assertThat(error.get("items").get(0).get("id").asString()).isEqualTo("1");
        assertThat(error.get("items").get(0).get("why").asString()).isEqualTo("job 1 was terminated");
        assertThat(api.store.find("3")).as("nothing of the bulk is stored").isEmpty();
        assertThat(api.post(JOBS + "/terminate", bulk(vmJob("2"))).statusCode()).isEqualTo(200);
        awaitCalls("terminate", 2);
        assertThat(api.backend.calls("start")).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void terminatingATerminatedJobAgainIsAHarmlessSuccess() {
        HttpResponse<String> again = api.post(JOBS + "/terminate", bulk(vmJob("1")));

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("responses")).hasSize(1);
        // A later operation on another job is carried out after it; the repeated terminate did nothing.
        assertThat(api.post(JOBS + "/terminate", bulk(vmJob("2"))).statusCode()).isEqualTo(200);
        awaitCalls("terminate", 2);
        assertThat(api.backend.calls("terminate")).containsExactly("1", "2");
    }
}
