package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /harness/jobs}: what the CLI shows. */
class HarnessJobsEndpointTest {
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
    void theListShowsEachJobWithItsStateAndLastMessage() {
        assertThat(api.post(JOBS, bulk(vmJob("1"), vmJob("2"))).statusCode()).isEqualTo(200);
        api.store.send("2", JobUpdate.message("Preparing disk: 40%", 1));
        api.store.send("2", JobUpdate.state(JobState.RUNNING, null, 2));

        HttpResponse<String> response = api.get("/harness/jobs");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode jobs = json(response).get("jobs");
        assertThat(jobs).extracting(n -> n.get("id").asString()).containsExactly("1", "2");
        assertThat(jobs.get(0).get("state").asString()).isEqualTo("IN_QUEUE");
        assertThat(jobs.get(0).has("status")).isFalse();
        assertThat(jobs.get(1).get("state").asString()).isEqualTo("RUNNING");
        assertThat(jobs.get(1).get("status").asString()).isEqualTo("Preparing disk: 40%");
        assertThat(jobs.get(1).get("updatedAt").asLong()).isPositive();
    }

    @Test
    void oneJobIsShownWithItsJsonAndUpdates() {
        assertThat(api.post(JOBS, bulk(vmJob("9"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
        api.store.send("9", JobUpdate.message("Downloading image", 10));
        api.store.send("9", JobUpdate.state(JobState.RUNNING, "The VM is running", 20));

        HttpResponse<String> response = api.get("/harness/jobs/9");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode job = json(response);
        assertThat(job.get("state").asString()).isEqualTo("RUNNING");
        assertThat(job.get("job")).isEqualTo(vmJob("9"));
        assertThat(job.get("request").get("operation").asString()).isEqualTo("START");
        assertThat(job.get("request").get("carriedOut").asBoolean()).isTrue();
        JsonNode updates = job.get("updates");
        assertThat(updates).extracting(n -> n.get("sequence").asLong()).containsExactly(1L, 2L);
        assertThat(updates.get(0).has("state")).isFalse();
        assertThat(updates.get(0).get("status").asString()).isEqualTo("Downloading image");
        assertThat(updates.get(1).get("state").asString()).isEqualTo("RUNNING");
        assertThat(updates.get(1).get("timestamp").asLong()).isEqualTo(20);
    }

    @Test
    void anUnknownJobIs404() {
        HttpResponse<String> response = api.get("/harness/jobs/404404");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("why").asString()).isEqualTo("no job with id '404404' is recorded");
    }

    @Test
    void updatesForAJobTheStoreDoesNotKnowAreShownWithoutAJob() {
        api.store.send("ghost", JobUpdate.state(JobState.SUCCESS, null, 5));

        HttpResponse<String> response = api.get("/harness/jobs/ghost");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode shown = json(response);
        assertThat(shown.has("job")).isFalse();
        assertThat(shown.get("updates")).hasSize(1);
        assertThat(json(api.get("/harness/jobs")).get("jobs")).isEmpty();
    }
}
