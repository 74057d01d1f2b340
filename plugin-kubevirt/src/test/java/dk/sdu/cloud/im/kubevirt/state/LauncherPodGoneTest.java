package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.manifest.VmJobLabels;
import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crashed instance's reason survives its launcher pod: KubeVirt deletes the pod of an ended instance moments
 * after the kubelet wrote why it ended, and the tracker hears of pods and of instances by separate watches.
 * Once two jobs run, the test plays KubeVirt by hand (the simulator is stopped), so that it decides the order
 * in which the tracker sees things. A second job's pod is the marker: the tracker handles one watch's events in
 * order, so once it has read the marker, it has handled every pod event before it.
 */
class LauncherPodGoneTest extends EmbeddedClusterTest {

    static final ResourceDefinitionContext PODS = new ResourceDefinitionContext.Builder().withGroup("")
            .withVersion("v1").withKind("Pod").withPlural("pods").withNamespaced(true).build();
    static final String CRASHED = "The virtual machine stopped unexpectedly (Error, exit code 1); it is restarting.";
    static final String MARKER = "The virtual machine ran out of memory and was killed (OOMKilled); it is "
            + "restarting.";

    final RecordingJobUpdates updates = new RecordingJobUpdates();
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    VmJobFixture job;
    VmJobFixture marker;
    String jobId;
    String markerId;
    VmStateTracker tracker;

    @BeforeEach
    void startTwoJobsThenStopTheSimulator() {
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace);
        jobId = unique;
        markerId = unique + "m";
        job = new VmJobFixture(jobId, namespace);
        marker = new VmJobFixture(markerId, namespace);
        tracker = new VmStateTracker(informersOn(newCountedClient()), updates, clock, KnownJobStates.NONE,
                new VmStateTracker.Settings(Duration.ofMinutes(5), Duration.ofMinutes(5), id -> Optional.empty(),
                        id -> { }));
        tracker.start();
        reconciler.reconcile(job.desired());
        reconciler.reconcile(marker.desired());
        await().until(() -> updates.hasMessage(jobId, BootStages.BOOTING)
                && updates.hasMessage(markerId, BootStages.BOOTING));
        awaitSimulatorIdle();
        simulator.close();
        // The marker's instance fails with a pod that has not said why yet.
        failInstance(marker.vmName());
        await().until(() -> updates.hasMessage(markerId, StopReasons.STOPPED_UNEXPECTEDLY + JobStateMapping.RESTARTING));
    }

    @AfterEach
    void closeTracker() {
        tracker.close();
    }

    @Test
    void theReasonStaysWhenThePodGoesBeforeTheInstance() {
        String pod = launcherPod(jobId);
        podEnded(pod, "Error", 1);
        failInstance(job.vmName());
        await().until(() -> updates.hasMessage(jobId, CRASHED));

        // KubeVirt deletes the pod first, the instance after: the tracker reads the failed instance without it.
        admin.pods().inNamespace(namespace).withName(pod).delete();
        podEnded(launcherPod(markerId), "OOMKilled", 137);
        await().until(() -> updates.hasMessage(markerId, MARKER));

        assertThat(last(jobId).status()).as("updates %s", updates.of(jobId)).isEqualTo(CRASHED);
        assertThat(updates.statesOf(jobId)).containsExactly(JobState.IN_QUEUE, JobState.RUNNING);
    }

    @Test
    void theReasonIsToldWhenThePodWentBeforeTheInstanceWasSeenToFail() {
        // As the tracker sees it when its watch of instances lags behind its watch of pods.
        String pod = launcherPod(jobId);
        podEnded(pod, "Error", 1);
        admin.pods().inNamespace(namespace).withName(pod).delete();
        podEnded(launcherPod(markerId), "OOMKilled", 137);
        await().until(() -> updates.hasMessage(markerId, MARKER));

        failInstance(job.vmName());

        await().until(() -> updates.hasMessage(jobId, CRASHED));
        assertThat(last(jobId).status()).isEqualTo(CRASHED);
    }

    @Test
    void theReasonIsToldWhenThePodTellsOnlyAfterTheRestartedInstanceRuns() {
        // The watch of pods lags behind the watch of instances: the instance fails and runs again before the
        // tracker hears why it stopped.
        String pod = launcherPod(jobId);
        failInstance(job.vmName());
        await().until(() -> updates.hasMessage(jobId, StopReasons.STOPPED_UNEXPECTEDLY + JobStateMapping.RESTARTING));
        patchStatus(VMIS, job.vmName(), Map.of("phase", "Running"));
        await().until(() -> updates.of(jobId).stream().filter(u -> BootStages.BOOTING.equals(u.status())).count() == 2);

        podEnded(pod, "Error", 1);

        await().until(() -> updates.hasMessage(jobId, CRASHED));
        assertThat(updates.of(jobId).stream().filter(u -> CRASHED.equals(u.status())).count()).isEqualTo(1);
    }

    JobUpdate last(String job) {
        List<JobUpdate> sent = updates.of(job);
        return sent.get(sent.size() - 1);
    }

    String launcherPod(String job) {
        List<Pod> pods = admin.pods().inNamespace(namespace).withLabel(VmJobLabels.JOB_ID, job).list().getItems();
        assertThat(pods).hasSize(1);
        return pods.get(0).getMetadata().getName();
    }

    /** The kubelet's word on a pod whose {@code compute} container ended. */
    void podEnded(String pod, String reason, int exitCode) {
        patchStatus(PODS, pod, Map.of("phase", "Failed", "containerStatuses", List.of(Map.of(
                "name", LauncherPodFacts.COMPUTE, "ready", false, "restartCount", 0, "image", "virt-launcher",
                "imageID", "", "state", Map.of("terminated", Map.of("reason", reason, "exitCode", exitCode))))));
    }

    void failInstance(String vmi) {
        patchStatus(VMIS, vmi, Map.of("phase", "Failed", "conditions", List.of(Map.of("type", "Ready",
                "status", "False", "reason", "PodTerminating"))));
    }

    void patchStatus(ResourceDefinitionContext kind, String name, Map<String, Object> status) {
        GenericKubernetesResource stub = new GenericKubernetesResourceBuilder()
                .withApiVersion(kind.getGroup().isEmpty() ? kind.getVersion() : kind.getGroup() + "/" + kind.getVersion())
                .withKind(kind.getKind()).withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .build();
        String patch = admin.getKubernetesSerialization().asJson(List.of(Map.of("op", "add", "path", "/status",
                "value", status)));
        admin.genericKubernetesResources(kind).inNamespace(namespace).resource(stub).status()
                .patch(PatchContext.of(PatchType.JSON), patch);
    }
}
