package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.kubernetes.EmbeddedClusterFiles;
import dk.sdu.cloud.im.harness.testing.EmbeddedImFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.JOBS;
import static dk.sdu.cloud.im.harness.testing.EmbeddedImFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code serve} in embedded mode stopped and started again with running jobs: its cluster comes back from the
 * data directory, every object as it was (uid, resource version), the jobs still RUNNING with their VMs and
 * instances, and the simulator carries on from there.
 */
class ServeRestartKeepsClusterTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final List<String> JOB_IDS = List.of("6201", "6202");

    @TempDir
    Path temp;

    private EmbeddedImFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new EmbeddedImFixture(temp, config -> config.setYaml("harness.kubernetes.embedded.guests", "false"));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aRestartFindsEveryObjectAndJobStateAsBefore() {
        Map<String, String> before;
        Map<String, String> versionsBefore;
        try (ImServer server = fixture.startServe()) {
            fixture.client(server).post(JOBS, ExampleJobs.JSON.readTree(ExampleJobs.bulk(
                    JOB_IDS.stream().map(fixture::job).toArray(JsonNode[]::new))));
            JOB_IDS.forEach(id -> awaitState(server, id, JobState.RUNNING));
            KubernetesClient k8s = server.cluster().access().client();
            JOB_IDS.forEach(id -> await().atMost(STEP).until(() -> instanceRunning(k8s, id)));
            before = uids(k8s);
            versionsBefore = versions(k8s);
        }
        assertThat(fixture.dataDirectory().resolve(EmbeddedClusterFiles.STATE_FILE)).isRegularFile();
        assertThat(before.keySet()).contains("VirtualMachine/vm-6201-0", "VirtualMachineInstance/vm-6202-0",
                "PersistentVolumeClaim/vm-6201-0", "PersistentVolume/vm-6202-0", "Service/j-6201",
                "NetworkPolicy/policy-6202", "Secret/vm-6201-0-cloud-init");

        try (ImServer server = fixture.startServe()) {
            KubernetesClient k8s = server.cluster().access().client();
            JOB_IDS.forEach(id -> assertThat(server.store().find(id)).get().extracting(s -> s.state())
                    .isEqualTo(JobState.RUNNING));
            assertThat(uids(k8s)).containsAllEntriesOf(before);
            JOB_IDS.forEach(id -> assertThat(instanceRunning(k8s, id)).as("instance of " + id).isTrue());
            // Carried on, not made again: the simulator and the IM find nothing to change in a running job.
            assertThat(versions(k8s)).containsAllEntriesOf(Map.of("VirtualMachine/vm-6201-0",
                    versionsBefore.get("VirtualMachine/vm-6201-0")));

            // And the jobs still work: a suspend halts the VM the restart found.
            fixture.client(server).post(JOBS + "/suspend", ExampleJobs.JSON.readTree(
                    EmbeddedImFixture.wrapped(fixture.job("6201"))));
            awaitState(server, "6201", JobState.SUSPENDED);
            await().atMost(STEP).until(() -> k8s.genericKubernetesResources(EmbeddedImFixture.VMIS)
                    .inNamespace(NAMESPACE).withName("vm-6201-0").get() == null);
            long newest = versions(k8s).values().stream().mapToLong(Long::parseLong).max().orElseThrow();
            long newestBefore = versionsBefore.values().stream().mapToLong(Long::parseLong).max().orElseThrow();
            assertThat(newest).isGreaterThan(newestBefore);
            assertThat(server.store().find("6202")).get().extracting(s -> s.state()).isEqualTo(JobState.RUNNING);
        }
    }

    private static boolean instanceRunning(KubernetesClient k8s, String jobId) {
        var vmi = k8s.genericKubernetesResources(EmbeddedImFixture.VMIS).inNamespace(NAMESPACE)
                .withName("vm-" + jobId + "-0").get();
        if (vmi == null || !(vmi.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return false;
        }
        return "Running".equals(status.get("phase"));
    }

    private static Map<String, String> uids(KubernetesClient k8s) {
        Map<String, String> uids = new TreeMap<>();
        objects(k8s).forEach(o -> uids.put(o.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getUid()));
        return uids;
    }

    private static Map<String, String> versions(KubernetesClient k8s) {
        Map<String, String> versions = new TreeMap<>();
        objects(k8s).forEach(o -> versions.put(o.getKind() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
        return versions;
    }

    private static List<HasMetadata> objects(KubernetesClient k8s) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(k8s.genericKubernetesResources(EmbeddedImFixture.VMS).inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.genericKubernetesResources(EmbeddedImFixture.VMIS).inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.secrets().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.services().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.network().networkPolicies().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.pods().inNamespace(NAMESPACE).list().getItems());
        all.addAll(k8s.persistentVolumes().list().getItems());
        return all;
    }

    private static void awaitState(ImServer server, String jobId, JobState state) {
        await().atMost(STEP).untilAsserted(() -> assertThat(server.store().find(jobId))
                .as("job " + jobId + ": " + server.store().updates(jobId))
                .get().extracting(s -> s.state()).isEqualTo(state));
    }
}
