package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A VM whose launcher pod finds no node, played by the simulator as KubeVirt v1.9 reports it (the VMI stays
 * {@code Scheduling}, its pod {@code Pending} with {@code PodScheduled} {@code False}, the VM
 * {@code ErrorUnschedulable}): the job waits in the queue with the scheduler's reason, said once, and runs
 * when the cluster has room; a suspend or terminate takes the pending instance and pod away.
 */
class UnschedulableTest extends EmbeddedClusterTest {

    static final String NO_ROOM = "0/3 nodes are available: 3 Insufficient memory.";
    static final String QUEUED = "The virtual machine cannot be scheduled yet: " + NO_ROOM
            + " It starts as soon as the cluster has room.";

    final RecordingJobUpdates updates = new RecordingJobUpdates();
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    ObjectReconciler reconciler;
    VmJobFixture job;
    String jobId;
    VmStateTracker tracker;

    @BeforeEach
    void setUp() {
        reconciler = new ObjectReconciler(client, namespace);
        job = new VmJobFixture(unique, namespace);
        jobId = unique;
        tracker = new VmStateTracker(informersOn(newCountedClient()), updates, clock, KnownJobStates.NONE,
                new VmStateTracker.Settings(Duration.ofMinutes(5), Duration.ofMinutes(5), id -> Optional.empty(),
                        id -> { }));
        tracker.start();
    }

    @AfterEach
    void closeTracker() {
        tracker.close();
    }

    List<Pod> launcherPods() {
        return admin.pods().inNamespace(namespace).withLabel("vm.kubevirt.io/name", job.vmName()).list().getItems();
    }

    /** Starts the job into a cluster without room, and waits until it says so. */
    void startUnschedulable() {
        simulator.unschedulable(job.vmName(), NO_ROOM);
        reconciler.reconcile(job.desired());
        await().until(() -> updates.hasMessage(jobId, QUEUED));
        awaitSimulatorIdle();
    }

    @Test
    void anUnschedulableVmWaitsInTheQueueWithTheSchedulersReasonOnceThenRuns() {
        startUnschedulable();

        // As KubeVirt v1.9 shows it.
        assertThat((Object) vmi(job.vmName()).get("status", "phase")).isEqualTo("Scheduling");
        assertThat(printableStatus(job.vmName())).isEqualTo("ErrorUnschedulable");
        assertThat(launcherPods()).hasSize(1);
        Pod pending = launcherPods().get(0);
        assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pending.getSpec().getNodeName()).isNull();
        assertThat(pending.getStatus().getConditions()).extracting(PodCondition::getType, PodCondition::getStatus,
                        PodCondition::getReason, PodCondition::getMessage)
                .containsExactly(tuple("PodScheduled", "False", "Unschedulable", NO_ROOM));
        assertThat(updates.lastStateOf(jobId)).isEqualTo(JobState.IN_QUEUE);
        assertThat(updates.statesOf(jobId)).doesNotContain(JobState.RUNNING, JobState.FAILURE);
        assertThat(updates.of(jobId)).filteredOn(update -> QUEUED.equals(update.status())).hasSize(1);
        assertThat(QUEUED).doesNotContain("\n");

        // Another look at the same VM (a reconcile, the informer's resync) says nothing new.
        int sent = updates.of(jobId).size();
        reconciler.reconcile(job.desired());
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).hasSize(sent);

        // The pressure goes: the scheduler places the pod and the job runs.
        simulator.recover(job.vmName());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        await().until(() -> updates.hasMessage(jobId, BootStages.BOOTING));
        awaitSimulatorIdle();
        assertThat((Object) vmi(job.vmName()).get("status", "phase")).isEqualTo("Running");
        assertThat(launcherPods()).hasSize(1);
        Pod scheduled = launcherPods().get(0);
        assertThat(scheduled.getStatus().getPhase()).isEqualTo("Running");
        assertThat(scheduled.getSpec().getNodeName()).isNotNull();
        assertThat(updates.of(jobId)).filteredOn(update -> QUEUED.equals(update.status())).hasSize(1);
        assertOnlyTransitions();
    }

    @Test
    void aSuspendTakesThePendingInstanceAndItsPodAway() {
        startUnschedulable();

        reconciler.suspend(jobId);

        await().until(() -> updates.lastStateOf(jobId) == JobState.SUSPENDED);
        await().until(() -> vmi(job.vmName()) == null && launcherPods().isEmpty());
        awaitSimulatorIdle();
        assertThat(printableStatus(job.vmName())).isEqualTo("Stopped");
        assertOnlyTransitions();

        // The halt cleared it: the next start finds room.
        reconciler.unsuspend(job.desired());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
    }

    @Test
    void aTerminateTakesThePendingInstanceAndItsPodAway() {
        startUnschedulable();

        reconciler.terminate(jobId);

        await().until(() -> vm(job.vmName()) == null && vmi(job.vmName()) == null && launcherPods().isEmpty());
        awaitSimulatorIdle();
        assertThat(launcherPods()).isEmpty();
    }

    /** No two updates in a row say the same thing: only transitions are sent. */
    void assertOnlyTransitions() {
        JobState state = null;
        String message = null;
        for (JobUpdate update : updates.of(jobId)) {
            boolean newState = update.state() != null && update.state() != state;
            boolean newMessage = update.status() != null && !update.status().equals(message);
            assertThat(newState || newMessage).as("update %s repeats in %s", update, updates.of(jobId)).isTrue();
            if (update.state() != null) {
                state = update.state();
            }
            message = update.status();
        }
    }
}
