package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.auth.StaticTokenAuthenticator;
import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.job.ToolDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.jobWithToolBackend;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each job goes to the backend of its application's tool backend. */
class ProviderApiBackendSelectionTest {
    @TempDir
    Path dir;

    @Test
    void eachJobGoesToTheBackendOfItsToolBackend() {
        RecordingBackend vms = new RecordingBackend();
        RecordingBackend containers = new RecordingBackend("Containers", Set.of("DOCKER", "SINGULARITY"));
        try (ApiFixture api = ApiFixture.start(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), vms,
                List.of(containers))) {
            HttpResponse<String> response = api.post(JOBS, bulk(vmJob("1"), jobWithToolBackend("2", "DOCKER"),
                    jobWithToolBackend("3", "SINGULARITY")));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            api.awaitCarriedOut();
            assertThat(vms.calls("start")).containsExactly("1");
            assertThat(containers.calls("start")).containsExactlyInAnyOrder("2", "3");

            assertThat(api.post(JOBS + "/terminate", bulk(jobWithToolBackend("2", "DOCKER"))).statusCode())
                    .isEqualTo(200);
            api.awaitCarriedOut();
            assertThat(containers.calls("terminate")).containsExactly("2");
            assertThat(vms.calls("terminate")).isEmpty();

            // The container backend (this double) supports the products that allow VMs.
            assertThat(json(api.get(JOBS + "/retrieveProducts")).get("responses").get(0).get("docker")
                    .get("enabled").asBoolean()).isTrue();
        }
    }

    @Test
    void twoBackendsClaimingOneToolBackendAreRefused() {
        try (H2JobStore store = H2JobStore.open(dir.resolve("jobs"), Clock.systemUTC());
             HarnessMetrics metrics = new HarnessMetrics(store)) {
            assertThatThrownBy(() -> new ProviderApiServer(ApiSettings.of("127.0.0.1", 0),
                    new StaticTokenAuthenticator("t"), new ProviderSettings("k8s", Set.of()), store,
                    List.of(new RecordingBackend("First", Set.of(ToolDescription.VIRTUAL_MACHINE)),
                            new RecordingBackend("Second", Set.of(ToolDescription.VIRTUAL_MACHINE))),
                    List::of, metrics, ids -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tool backend VIRTUAL_MACHINE is claimed by both First and Second");
        }
    }
}
