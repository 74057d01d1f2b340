package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.NAMESPACE;
import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.runStrategy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The IM with the real KubeVirt backend, in embedded mode, driven over HTTP through the provider API with
 * its bearer token, as Core drives it; the objects are checked in the embedded API at each step.
 */
class EmbeddedLifecycleTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final List<String> JOB_IDS = List.of("5101", "5102", "5103");

    @TempDir
    Path temp;

    private EmbeddedImFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new EmbeddedImFixture(temp);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void awaitState(ImServer server, String jobId, JobState state) {
        await().atMost(STEP).untilAsserted(() -> assertThat(server.store().find(jobId))
                .as("job " + jobId + ": " + server.store().updates(jobId))
                .get().extracting(s -> s.state()).isEqualTo(state));
    }

    private String bulk(List<String> ids) {
        return ExampleJobs.bulk(ids.stream().map(fixture::job).toArray(JsonNode[]::new));
    }

    private String wrapped(List<String> ids) {
        return EmbeddedImFixture.wrapped(ids.stream().map(fixture::job).toArray(JsonNode[]::new));
    }

    private static void post(HarnessClient client, String path, String body) {
        client.post(path, ExampleJobs.JSON.readTree(body));
    }

    private void assertRunning(String id) {
        KubernetesClient k8s = fixture.observer();
        assertThat(fixture.vm(id)).as("VM of " + id).isNotNull();
        assertThat(runStrategy(fixture.vm(id))).isEqualTo("RerunOnFailure");
        assertThat(fixture.vmi(id)).as("VMI of " + id).isNotNull();
        assertThat(k8s.services().inNamespace(NAMESPACE).withName("j-" + id).get()).isNotNull();
        assertThat(k8s.services().inNamespace(NAMESPACE).withName("j-" + id + "-ssh").get()).as("SSH service of " + id).isNotNull();
        assertThat(k8s.network().networkPolicies().inNamespace(NAMESPACE).withName("policy-" + id).get()).isNotNull();
        assertThat(k8s.secrets().inNamespace(NAMESPACE).withName("vm-" + id + "-0-cloud-init").get()).isNotNull();
        assertThat(k8s.persistentVolumeClaims().inNamespace(NAMESPACE).withName("vm-" + id + "-0").get()).isNotNull();
        assertThat(k8s.persistentVolumes().withName("vm-" + id + "-0").get()).isNotNull();
    }

    private void assertSuspended(String id) {
        KubernetesClient k8s = fixture.observer();
        assertThat(runStrategy(fixture.vm(id))).isEqualTo("Halted");
        assertThat(fixture.vmi(id)).as("VMI of suspended " + id).isNull();
        assertThat(k8s.services().inNamespace(NAMESPACE).withName("j-" + id + "-ssh").get()).as("SSH service of suspended " + id).isNull();
        assertThat(k8s.services().inNamespace(NAMESPACE).withName("j-" + id).get()).isNotNull();
        assertThat(k8s.persistentVolumeClaims().inNamespace(NAMESPACE).withName("vm-" + id + "-0").get()).isNotNull();
        assertThat(k8s.persistentVolumes().withName("vm-" + id + "-0").get()).isNotNull();
    }

    /** Every object of the job in the API: namespaced ones by name, PVs by name prefix. */
    private List<String> objectsOf(String id) {
        KubernetesClient k8s = fixture.observer();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(k8s.genericKubernetesResources(EmbeddedImFixture.VMS).inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.genericKubernetesResources(EmbeddedImFixture.VMIS).inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.secrets().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.services().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.network().networkPolicies().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.persistentVolumes().list().getItems());
        return all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .filter(name -> name.contains("-" + id + "-") || name.endsWith("-" + id))
                .toList();
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void severalJobsGoThroughTheWholeLifecycleTogether() throws IOException {
        try (ImServer server = fixture.startIm()) {
            HarnessClient client = fixture.client(server);

            post(client, JOBS, bulk(JOB_IDS));
            JOB_IDS.forEach(id -> awaitState(server, id, JobState.RUNNING));
            JOB_IDS.forEach(this::assertRunning);
            assertThat(fixture.imageDownloads()).as("the golden image is downloaded once for all jobs").isEqualTo(1);
            assertThat(client.get("/harness/jobs/5101").path("updates").toString()).contains("isk");

            post(client, JOBS + "/suspend", wrapped(JOB_IDS));
            JOB_IDS.forEach(id -> awaitState(server, id, JobState.SUSPENDED));
            await().atMost(STEP).untilAsserted(() -> JOB_IDS.forEach(this::assertSuspended));

            post(client, JOBS + "/unsuspend", wrapped(JOB_IDS));
            JOB_IDS.forEach(id -> awaitState(server, id, JobState.RUNNING));
            await().atMost(STEP).untilAsserted(() -> JOB_IDS.forEach(this::assertRunning));

            post(client, JOBS + "/terminate", bulk(JOB_IDS));
            JOB_IDS.forEach(id -> awaitState(server, id, JobState.SUCCESS));
            await().atMost(STEP).untilAsserted(() -> JOB_IDS.forEach(id -> assertThat(objectsOf(id)).as("objects of " + id).isEmpty()));
        }
        assertThat(files(fixture.fileSystem().resolve("trash"))).as("the disks went to the trash staging area")
                .filteredOn(f -> f.getFileName().toString().contains("disk")).hasSize(JOB_IDS.size());
    }

    @Test
    void aRestartedImCarriesTheJobOnFromWhereTheFirstOneLeftIt() {
        String id = "5201";
        try (ImServer first = fixture.startIm()) {
            HarnessClient client = fixture.client(first);
            post(client, JOBS, bulk(List.of(id)));
            awaitState(first, id, JobState.RUNNING);
            post(client, JOBS + "/suspend", wrapped(List.of(id)));
            // The first IM stops before it may have seen the VM halt.
        }
        try (ImServer second = fixture.startIm()) {
            HarnessClient client = fixture.client(second);
            awaitState(second, id, JobState.SUSPENDED);
            await().atMost(STEP).untilAsserted(() -> assertSuspended(id));

            post(client, JOBS + "/unsuspend", wrapped(List.of(id)));
            awaitState(second, id, JobState.RUNNING);
            await().atMost(STEP).untilAsserted(() -> assertRunning(id));

            post(client, JOBS + "/terminate", bulk(List.of(id)));
            awaitState(second, id, JobState.SUCCESS);
            await().atMost(STEP).untilAsserted(() -> assertThat(objectsOf(id)).isEmpty());
            assertThat(second.store().updates(id)).extracting(u -> u.state()).filteredOn(s -> s != null)
                    .containsSubsequence(JobState.RUNNING, JobState.SUSPENDED, JobState.RUNNING, JobState.SUCCESS);
        }
    }

    @Test
    void aJobOfASensitiveProjectIsRefusedAndNothingIsCreated() {
        try (ImServer server = fixture.startIm()) {
            ObjectNode job = fixture.job("5301");
            ((ObjectNode) job.path("owner")).put("project", "7f1c0e1e-sensitive");

            HarnessClientException refused = catchThrowableOfType(HarnessClientException.class,
                    () -> fixture.client(server).post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(job))));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.getMessage()).contains("job 5301").contains("sensitive").contains("nothing was created");
            assertThat(server.store().find("5301")).isEmpty();
            assertThat(objectsOf("5301")).isEmpty();
            assertThat(fixture.observer().genericKubernetesResources(EmbeddedImFixture.VMS).inNamespace(NAMESPACE).list().getItems()).isEmpty();
            assertThat(fixture.observer().persistentVolumes().list().getItems()).isEmpty();
        }
    }
}
