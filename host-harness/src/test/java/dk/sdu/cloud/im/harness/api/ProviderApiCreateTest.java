package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.jobWithToolBackend;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProviderApiCreateTest {
    @TempDir
    Path dir;
    private ApiFixture api;

    @BeforeEach
    void start() {
        api = ApiFixture.start(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createdJobsAreStoredAndAnsweredWithTheirIdsAndThenStarted() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("101"), vmJob("102")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json(response).get("responses")).extracting(n -> n.get("id").asString())
                .containsExactly("101", "102");
        api.awaitCarriedOut();
        assertThat(api.backend.calls("start")).containsExactlyInAnyOrder("101", "102");
        StoredJob stored = api.store.find("101").orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(ExampleJobs.JSON.readTree(stored.json())).isEqualTo(vmJob("101"));
        assertThat(api.store.find("102")).isPresent();
    }

    @Test
    void theSameJobAgainIsAcceptedAndStartedAgainButStoredOnce() {
        assertThat(api.post(JOBS, bulk(vmJob("7"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
        HttpResponse<String> again = api.post(JOBS, bulk(vmJob("7")));

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        api.awaitCarriedOut();
        assertThat(api.backend.calls("start")).containsExactly("7", "7");
        assertThat(api.store.list()).hasSize(1);
    }

    @Test
    void aDifferentJobWithAKnownIdIsAConflictAndNothingHappens() {
        assertThat(api.post(JOBS, bulk(vmJob("7"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
        ObjectNode changed = vmJob("7");
        ((ObjectNode) changed.get("specification")).put("name", "another job");

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("8"), changed));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        JsonNode error = json(response);
        assertThat(error.get("why").asString()).contains("conflict");
        assertThat(error.get("items")).hasSize(1);
        assertThat(error.get("items").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(error.get("items").get(0).get("id").asString()).isEqualTo("7");
        assertThat(api.store.find("8")).as("nothing of the bulk is stored").isEmpty();
        assertThat(api.store.intent("7").orElseThrow().revision()).isEqualTo(1);
        api.awaitCarriedOut();
        assertThat(api.backend.calls("start")).containsExactly("7");
        assertThat(ExampleJobs.JSON.readTree(api.store.find("7").orElseThrow().json())).isEqualTo(vmJob("7"));
    }

    @Test
    void oneRejectedItemRejectsTheWholeBulkAndListsIt() {
        api.backend.reject("202", "sensitive projects may not run virtual machines");

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("201"), vmJob("202"), vmJob("203")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("why").asString()).contains("1 of 3").contains("nothing was created");
        assertThat(error.get("items")).hasSize(1);
        JsonNode item = error.get("items").get(0);
        assertThat(item.get("index").asInt()).isEqualTo(1);
        assertThat(item.get("id").asString()).isEqualTo("202");
        assertThat(item.get("why").asString()).isEqualTo("sensitive projects may not run virtual machines");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls("start")).isEmpty();
    }

    @Test
    void everyBadItemIsListedWithItsOwnReason() {
        api.backend.reject("303", "disk size 5 GiB is below the minimum of 15 GiB");
        ObjectNode wrongType = vmJob("302");
        ((ObjectNode) wrongType.get("specification")).put("replicas", "two");
        ObjectNode noId = vmJob();
        noId.remove("id");

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("300"),
                jobWithToolBackend("301", "DOCKER"), wrongType, vmJob("303"), noId,
                ExampleJobs.JSON.getNodeFactory().stringNode("not a job")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode items = json(response).get("items");
        assertThat(items).extracting(n -> n.get("index").asInt()).containsExactly(1, 2, 3, 4, 5);
        assertThat(items.get(0).get("why").asString())
                .contains("no compute backend here runs tool backend DOCKER").contains("VIRTUAL_MACHINE");
        assertThat(items.get(1).get("why").asString())
                .isEqualTo("items[2].specification.replicas: expected an integer, got the string \"two\"");
        assertThat(items.get(1).get("id").asString()).isEqualTo("302");
        assertThat(items.get(2).get("why").asString()).contains("below the minimum");
        assertThat(items.get(3).get("why").asString()).isEqualTo("items[4].id: a job needs an id");
        assertThat(items.get(4).get("why").asString()).contains("items[5]: expected a job object");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls("start")).isEmpty();
    }

    @Test
    void aJobWithoutAToolBackendIsRejected() {
        ObjectNode job = vmJob("400");
        ((ObjectNode) job.get("status")).remove("resolvedApplication");

        HttpResponse<String> response = api.post(JOBS, bulk(job));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("items").get(0).get("why").asString()).contains("has no tool backend");
        assertThat(api.store.list()).isEmpty();
    }

    @Test
    void aBackendFailureInVerifyIs500WithAReferenceAndNoInternalsAndNothingIsCreated() {
        api.backend.failIn("verify");

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("500")));

        assertThat(response.statusCode()).isEqualTo(500);
        // The failure's type is named, its message (which may hold internals) and stack trace are not.
        assertThat(response.body()).doesNotContain(RecordingBackend.INTERNAL_DETAIL).doesNotContain("at dk.sdu");
        assertThat(json(response).get("items").get(0).get("why").asString())
                .matches("an extension not from a plugin \\(Recording\\) failed to verify job 500: IllegalStateException; "
                        + "error reference [0-9a-f-]{36} in the provider's log");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls("start")).isEmpty();
    }

    @Test
    void aBackendFailureInStartIsToldOnTheJobWhichStaysRecordedForARetry() {
        api.backend.failIn("start");

        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("600")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        await().atMost(ApiFixture.DEADLINE).untilAsserted(() -> assertThat(api.store.find("600").orElseThrow()
                .statusMessage()).startsWith("an extension not from a plugin (Recording) failed to start job 600: "
                        + "IllegalStateException; error reference ").endsWith("; the IM keeps trying")
                .doesNotContain(RecordingBackend.INTERNAL_DETAIL));
        assertThat(api.store.find("600").orElseThrow().state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(api.store.intent("600").orElseThrow().pending()).isTrue();
    }

    @Test
    void aJobTheBackendRejectsWhenStartingBecomesFailureWithTheReason() {
        HttpResponse<String> response = api.post(JOBS, bulk(vmJob("700")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        api.awaitCarriedOut();
        api.backend.rejectInStart("701", "the quota of project p is used up");

        assertThat(api.post(JOBS, bulk(vmJob("701"))).statusCode()).isEqualTo(200);

        api.awaitCarriedOut();
        StoredJob rejected = api.store.find("701").orElseThrow();
        assertThat(rejected.state()).isEqualTo(JobState.FAILURE);
        assertThat(rejected.statusMessage()).isEqualTo("the quota of project p is used up");
        assertThat(api.backend.calls("start")).containsExactly("700");
    }
}
