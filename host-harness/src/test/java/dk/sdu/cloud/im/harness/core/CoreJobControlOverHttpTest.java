package dk.sdu.cloud.im.harness.core;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link CoreJobControl}'s calls through the real {@link CoreClient} to the harness's Core, over HTTP. */
class CoreJobControlOverHttpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private LocalCore core;
    private CoreJobControl jobs;

    @BeforeEach
    void start() {
        JsonNode job = JSON.readTree("{\"id\": \"j-1\", \"status\": {\"state\": \"RUNNING\"}}");
        core = LocalCore.start(new LocalCoreSettings("k8s", temp.resolve("core"), "127.0.0.1", 0), Clock.systemUTC(),
                jobId -> List.of(), id -> id.equals("j-1") ? Optional.of(job) : Optional.empty());
        CoreClient client = new CoreClient(core.url(), core.serverFile(), HttpClient.newHttpClient(),
                Clock.systemUTC(), delay -> { }, CoreClientSettings.DEFAULT);
        jobs = new CoreJobControl(client);
    }

    @AfterEach
    void stop() {
        core.close();
    }

    @Test
    void updatesLabelsAndExistenceReachCoreOnItsWire() throws CoreCallException {
        jobs.update(List.of(new CoreJobControl.Item("j-1", JobUpdate.state(JobState.RUNNING, "Running", 1000L)),
                new CoreJobControl.Item("j-1", JobUpdate.message("Agent connected", 2000L))));
        jobs.updateLabels("j-1", Map.of("ucloud.dk/service-ip-address", "10.96.0.17"));

        assertThat(core.updates("j-1")).extracting(u -> u.path("status").asString())
                .containsExactly("Running", "Agent connected");
        assertThat(core.updates("j-1").get(1).path("state").isNull()).isTrue();
        assertThat(core.labels("j-1")).containsExactly(Map.of("ucloud.dk/service-ip-address", "10.96.0.17"));
        assertThat(jobs.jobsExist(List.of("j-1", "j-2"))).containsExactly(true, true);
    }

    @Test
    void aJobCoreForgotIsNotFoundForUpdatesLabelsAndExistence() throws CoreCallException {
        core.forgetJob("j-9");

        CoreCallException update = catchThrowableOfType(CoreCallException.class, () -> jobs.update(List.of(
                new CoreJobControl.Item("j-9", JobUpdate.state(JobState.RUNNING, null, 1L)))));
        CoreCallException labels = catchThrowableOfType(CoreCallException.class,
                () -> jobs.updateLabels("j-9", Map.of("a", "b")));

        assertThat(update.status()).isEqualTo(404);
        assertThat(update.why()).isEqualTo("Not found or permission denied (j-9)");
        assertThat(labels.notFound()).isTrue();
        assertThat(jobs.jobsExist(List.of("j-1", "j-9"))).containsExactly(true, false);
    }

    @Test
    void retrieveGivesTheJobAsCoreHoldsItAndNothingForAnUnknownOne() throws CoreCallException {
        assertThat(jobs.retrieve("j-1")).get().extracting(j -> j.path("status").path("state").asString())
                .isEqualTo("RUNNING");
        assertThat(jobs.retrieve("j-404")).isEmpty();
    }
}
