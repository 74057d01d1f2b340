package dk.sdu.cloud.im.kubevirt.reconcile;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.kubevirt.state.KnownJobStates;
import dk.sdu.cloud.im.kubevirt.state.ObservedState;
import dk.sdu.cloud.im.kubevirt.state.VmStateTracker;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An IM that stops in the middle of a lifecycle step, and a new one (new client, reconciler and tracker) over
 * the same cluster that carries on: the job reaches the right state and no object is left that nothing would
 * ever delete.
 */
class ImRestartTest extends EmbeddedClusterTest {

    final RecordingJobUpdates updates = new RecordingJobUpdates();
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final List<VmStateTracker> trackers = new ArrayList<>();
    VmJobFixture job;
    String jobId;

    /** One IM: its own client, informers, reconciler and tracker. */
    record Im(KubernetesClient client, SharedInformers informers, ObjectReconciler reconciler,
              VmStateTracker tracker) {
    }

    @BeforeEach
    void setUp() {
        job = new VmJobFixture(unique, namespace);
        jobId = unique;
    }

    @AfterEach
    void closeTrackers() {
        trackers.forEach(VmStateTracker::close);
    }

    Im startIm(KnownJobStates known) {
        KubernetesClient imClient = newCountedClient();
        SharedInformers informers = informersOn(imClient);
        VmStateTracker tracker = new VmStateTracker(informers, updates, clock, known,
                new VmStateTracker.Settings(Duration.ofMinutes(5),
                        Duration.ofSeconds(KubeVirtConfig.DEFAULT_AGENT_CONNECT_TIMEOUT_SECONDS),
                        id -> Optional.empty(), id -> { }));
        trackers.add(tracker);
        tracker.start();
        return new Im(imClient, informers, new ObjectReconciler(imClient, namespace), tracker);
    }

    /** The IM goes away: its tracker and informers stop, its client closes, nothing it had in memory survives. */
    KnownJobStates stop(Im im) {
        Optional<ObservedState> last = im.tracker().lastSent(jobId);
        im.tracker().close();
        im.informers().close();
        im.client().close();
        return new KnownJobStates() {
            @Override
            public Optional<ObservedState> lastKnown(String id) {
                return id.equals(jobId) ? last : Optional.empty();
            }

            @Override
            public Set<String> activeJobs() {
                return last.map(ObservedState::state).filter(JobState::isFinal).isPresent() ? Set.of() : Set.of(jobId);
            }
        };
    }

    void failOnce(String method, String path) {
        String status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500,"
                + "\"message\":\"the IM went away\"}";
        switch (method) {
            case "POST" -> embedded.server().expect().post().withPath(path).andReturn(500, status).once();
            case "DELETE" -> embedded.server().expect().delete().withPath(path).andReturn(500, status).once();
            default -> throw new IllegalArgumentException(method);
        }
    }

    @Test
    void midStart() {
        Im first = startIm(KnownJobStates.NONE);
        failOnce("POST", "/api/v1/namespaces/" + namespace + "/secrets");
        assertThatThrownBy(() -> first.reconciler().reconcile(job.desired())).isInstanceOf(ReconcileException.class);
        KnownJobStates core = stop(first);

        Im second = startIm(core);
        second.reconciler().reconcile(job.desired());

        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        awaitSimulatorIdle();
        assertThat(snapshot().names()).containsExactlyInAnyOrder(
                "PersistentVolume/" + job.vmName(), "VirtualMachine/" + job.vmName(),
                "VirtualMachineInstance/" + job.vmName(), "PersistentVolumeClaim/" + job.vmName(),
                "Secret/" + job.vmName() + "-cloud-init", "NetworkPolicy/policy-" + jobId, "Service/j-" + jobId,
                "Service/" + job.sshServiceName());
        assertThat(snapshot().orphans()).isEmpty();
        assertThat(snapshot().volumePhases()).containsEntry(job.vmName(), "Bound");
    }

    @Test
    void midStartBeforeTheVolumesExisted() {
        Im first = startIm(KnownJobStates.NONE);
        failOnce("POST", "/api/v1/persistentvolumes");
        assertThatThrownBy(() -> first.reconciler().reconcile(job.desired())).isInstanceOf(ReconcileException.class);
        KnownJobStates core = stop(first);

        Im second = startIm(core);
        ReconcileResult result = second.reconciler().reconcile(job.desired());

        assertThat(result.changes()).extracting(ObjectChange::toString).contains(
                "unchanged VirtualMachine/" + job.vmName(), "created PersistentVolume/" + job.vmName());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        assertThat(snapshot().orphans()).isEmpty();
    }

    @Test
    void midSuspend() {
        Im first = startIm(KnownJobStates.NONE);
        first.reconciler().reconcile(job.desired());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        failOnce("DELETE", "/api/v1/namespaces/" + namespace + "/services/" + job.sshServiceName());
        assertThatThrownBy(() -> first.reconciler().suspend(jobId)).isInstanceOf(ReconcileException.class)
                .hasMessageContaining("Service " + job.sshServiceName());
        KnownJobStates core = stop(first);

        // The new IM resumes its jobs with a reconcile: the VM stays halted and the SSH Service goes.
        Im second = startIm(core);
        ReconcileResult result = second.reconciler().reconcile(job.desired());

        assertThat(result.changes()).extracting(ObjectChange::toString).contains("deleted Service/" + job.sshServiceName());
        await().until(() -> updates.lastStateOf(jobId) == JobState.SUSPENDED);
        awaitSimulatorIdle();
        assertThat(snapshot().names()).doesNotContain("Service/" + job.sshServiceName(),
                "VirtualMachineInstance/" + job.vmName());
        assertThat(snapshot().orphans()).isEmpty();

        second.reconciler().unsuspend(job.desired());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        assertThat(snapshot().names()).contains("Service/" + job.sshServiceName());
    }

    @Test
    void midTerminate() {
        Im first = startIm(KnownJobStates.NONE);
        first.reconciler().reconcile(job.desired());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        first.reconciler().terminate(jobId);
        KnownJobStates core = stop(first);   // gone before it reported SUCCESS or cleaned up volumes

        Im second = startIm(core);
        assertThat(second.reconciler().terminate(jobId).only(ObjectChange.Action.DELETED)).isEmpty();
        second.tracker().terminated(jobId);
        await().until(() -> snapshot().names().equals(Set.of("PersistentVolume/" + job.vmName()))
                && "Released".equals(snapshot().volumePhases().get(job.vmName())));
        assertThat(second.reconciler().deleteReleasedVolumes()).containsExactly(job.vmName());

        assertThat(snapshot().names()).isEmpty();
        assertThat(updates.statesOf(jobId)).containsOnlyOnce(JobState.SUCCESS).endsWith(JobState.SUCCESS);
    }

    @Test
    void midTerminateBeforeTheVmWasDeleted() {
        Im first = startIm(KnownJobStates.NONE);
        first.reconciler().reconcile(job.desired());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        failOnce("DELETE", "/apis/kubevirt.io/v1/namespaces/" + namespace + "/virtualmachines/" + job.vmName());
        assertThatThrownBy(() -> first.reconciler().terminate(jobId)).isInstanceOf(ReconcileException.class);
        KnownJobStates core = stop(first);

        Im second = startIm(core);
        assertThat(second.reconciler().terminate(jobId).changes()).extracting(ObjectChange::toString)
                .containsExactly("deleted VirtualMachine/" + job.vmName());
        second.tracker().terminated(jobId);
        await().until(() -> "Released".equals(snapshot().volumePhases().get(job.vmName())));
        second.reconciler().deleteReleasedVolumes();

        assertThat(snapshot().names()).isEmpty();
    }
}
