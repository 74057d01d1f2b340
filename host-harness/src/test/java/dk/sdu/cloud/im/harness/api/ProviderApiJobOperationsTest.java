package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.wrappedBulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** terminate, suspend and unsuspend: delegated for known jobs, 404 with nothing done for unknown ones. */
class ProviderApiJobOperationsTest {
    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(dir);
        assertThat(api.post(JOBS, bulk(vmJob("1"), vmJob("2"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String body(String operation, JsonNode... jobs) {
        return operation.equals("terminate") ? bulk(jobs) : wrappedBulk(jobs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"terminate", "suspend", "unsuspend"})
    void knownJobsAreHandedToTheirBackend(String operation) {
        if (operation.equals("unsuspend")) {
            // An unsuspend of a job that was never suspended carries on with its start.
            assertThat(api.post(JOBS + "/suspend", wrappedBulk(vmJob("1"), vmJob("2"))).statusCode()).isEqualTo(200);
            api.awaitCarriedOut();
        }
        HttpResponse<String> response = api.post(JOBS + "/" + operation, body(operation, vmJob("2"), vmJob("1")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode responses = json(response).get("responses");
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0).isObject() && responses.get(0).isEmpty()).isTrue();
        api.awaitCarriedOut();
        assertThat(api.backend.calls(operation)).containsExactlyInAnyOrder("2", "1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"terminate", "suspend", "unsuspend"})
    void unknownJobsAre404WithAMessageEachAndNothingIsDone(String operation) {
        HttpResponse<String> response = api.post(JOBS + "/" + operation,
                body(operation, vmJob("1"), vmJob("77"), vmJob("78")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        JsonNode error = json(response);
        assertThat(error.get("why").asString()).isEqualTo("2 of 3 jobs are not known to this provider; nothing was done");
        assertThat(error.get("items")).extracting(n -> n.get("id").asString()).containsExactly("77", "78");
        assertThat(error.get("items")).extracting(n -> n.get("index").asInt()).containsExactly(1, 2);
        assertThat(error.get("items").get(0).get("why").asString())
                .startsWith("no job with this id is known to this provider (a job another IM started is taken over "
                        + "only when Core's status says RUNNING or SUSPENDED)");
        assertThat(api.store.intent("1").orElseThrow().revision()).as("not even the known job is touched").isEqualTo(1);
        api.awaitCarriedOut();
        assertThat(api.backend.calls(operation)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"terminate", "suspend", "unsuspend"})
    void aJobCoreSaysIsRunningButThisImNeverReceivedIsTakenOverAndCarriedOut(String operation) {
        ObjectNode adopted = vmJob("91");
        ((ObjectNode) adopted.get("status")).put("state", operation.equals("unsuspend") ? "SUSPENDED" : "RUNNING");

        HttpResponse<String> response = api.post(JOBS + "/" + operation, body(operation, adopted));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        api.awaitCarriedOut();
        assertThat(api.backend.calls(operation)).containsExactly("91");
        assertThat(api.backend.calls("start")).as("its objects exist: it is not started first").doesNotContain("91");
        assertThat(api.store.find("91")).isPresent();
        assertThat(api.store.intent("91").orElseThrow().operation().name()).isEqualTo(operation.toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void aJobResentWithoutItsApplicationGoesToTheBackendItWasCreatedWith() {
        ObjectNode bare = vmJob("1");
        ((ObjectNode) bare.get("status")).remove("resolvedApplication");

        HttpResponse<String> response = api.post(JOBS + "/terminate", bulk(bare));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        api.awaitCarriedOut();
        assertThat(api.backend.calls("terminate")).containsExactly("1");
    }

    @Test
    void aBackendFailureIsToldOnTheJobNotInTheAnswer() {
        api.backend.failIn("suspend");

        HttpResponse<String> response = api.post(JOBS + "/suspend", wrappedBulk(vmJob("1")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(RecordingBackend.INTERNAL_DETAIL);
        await().atMost(ApiFixture.DEADLINE).untilAsserted(() -> assertThat(api.store.find("1").orElseThrow()
                .statusMessage()).startsWith("an extension not from a plugin (Recording) failed to suspend job 1: "
                        + "IllegalStateException; error reference ").endsWith("; the IM keeps trying"));
        assertThat(api.store.intent("1").orElseThrow().pending()).as("it is tried again").isTrue();
    }
}
