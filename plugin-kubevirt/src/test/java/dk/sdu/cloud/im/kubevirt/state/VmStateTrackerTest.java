package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

class VmStateTrackerTest extends EmbeddedClusterTest {

    static final Duration GRACE = Duration.ofMinutes(5);

    final RecordingJobUpdates updates = new RecordingJobUpdates();
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final List<VmStateTracker> trackers = new ArrayList<>();
    ObjectReconciler reconciler;
    VmJobFixture job;
    String jobId;

    @BeforeEach
    void setUp() {
        reconciler = new ObjectReconciler(client, namespace);
        job = new VmJobFixture(unique, namespace);
        jobId = unique;
    }

    @AfterEach
    void closeTrackers() {
        trackers.forEach(VmStateTracker::close);
    }

    VmStateTracker tracker(KnownJobStates known) {
        return tracker(informersOn(newCountedClient()), known);
    }

    /** A started tracker on the given informers, with the grace period {@link #GRACE}. */
    VmStateTracker tracker(SharedInformers informers, KnownJobStates known) {
        return started(new VmStateTracker(informers, updates, clock, known, settings(id -> Optional.empty())));
    }

    VmStateTracker started(VmStateTracker tracker) {
        trackers.add(tracker);
        tracker.start();
        return tracker;
    }

    /** The grace period {@link #GRACE}, the default agent limit, and the given running message. */
    static VmStateTracker.Settings settings(Function<String, Optional<String>> runningMessage) {
        return new VmStateTracker.Settings(GRACE,
                Duration.ofSeconds(KubeVirtConfig.DEFAULT_AGENT_CONNECT_TIMEOUT_SECONDS), runningMessage, id -> { });
    }

    void awaitState(JobState state) {
        await().until(() -> updates.lastStateOf(jobId) == state);
    }

    /** No two updates in a row say the same thing: only transitions are sent. */
    void assertOnlyTransitions() {
        List<JobUpdate> sent = updates.of(jobId);
        JobState state = null;
        String message = null;
        for (JobUpdate update : sent) {
            boolean newState = update.state() != null && update.state() != state;
            boolean newMessage = update.status() != null && !update.status().equals(message);
            assertThat(newState || newMessage).as("update %s repeats (%s, %s) in %s", update, state, message, sent)
                    .isTrue();
            if (update.state() != null) {
                state = update.state();
            }
            message = update.status();
        }
    }

    @Test
    void aStartingJobGoesFromInQueueToRunningAndSaysEachThingOnce() {
        tracker(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());

        awaitState(JobState.RUNNING);
        awaitSimulatorIdle();

        // IN_QUEUE first unless the tracker first saw the VM already running (its cache can be ahead of an event).
        assertThat(updates.statesOf(jobId)).endsWith(JobState.RUNNING).doesNotContain(JobState.FAILURE,
                JobState.SUCCESS, JobState.SUSPENDED);
        assertOnlyTransitions();
        int sent = updates.of(jobId).size();
        // A reconcile that changes nothing changes nothing Core sees.
        reconciler.reconcile(job.desired());
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).hasSize(sent);
    }

    @Test
    void theRunningStateCarriesTheRunningMessageOnce() {
        started(new VmStateTracker(informersOn(newCountedClient()), updates, clock, KnownJobStates.NONE,
                settings(id -> id.equals(jobId) ? Optional.of("SSH: Connected!") : Optional.empty())));
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);
        awaitSimulatorIdle();

        assertThat(updates.of(jobId)).filteredOn(u -> u.state() == JobState.RUNNING).singleElement()
                .satisfies(u -> assertThat(u.status()).isEqualTo("SSH: Connected!"));
        assertOnlyTransitions();
    }

    @Test
    void whatTheHostRecordedIsWhatCoreKnows() {
        updates.send(jobId, JobUpdate.state(JobState.RUNNING, null, 1));
        reconciler.reconcile(job.desired());
        await().until(() -> "Running".equals(printableStatus(job.vmName())));
        updates.clear();
        updates.send(jobId, JobUpdate.state(JobState.RUNNING, null, 1));
        int before = updates.of(jobId).size();

        tracker(KnownJobStates.recordedBy(updates));
        awaitSimulatorIdle();

        // A restarted tracker sees the job running, as the host says Core has it: nothing to send.
        assertThat(updates.of(jobId)).hasSize(before);
        assertThat(KnownJobStates.recordedBy(updates).lastKnown("other-" + jobId)).isEmpty();
    }

    @Test
    void suspendAndUnsuspend() {
        tracker(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);

        reconciler.suspend(jobId);
        awaitState(JobState.SUSPENDED);
        assertThat(updates.of(jobId).get(updates.of(jobId).size() - 1).status()).isEqualTo(JobStateMapping.POWERED_OFF);

        reconciler.unsuspend(job.desired());
        awaitState(JobState.RUNNING);
        assertOnlyTransitions();
    }

    @Test
    void anUnschedulableVmIsQueuedWithTheReason() {
        tracker(KnownJobStates.NONE);
        simulator.failNextStart(job.vmName(), "ErrorUnschedulable");
        reconciler.reconcile(job.desired());

        await().until(() -> updates.hasMessage(jobId, "cannot be scheduled yet: 0/1 nodes are available"));
        awaitSimulatorIdle();
        assertThat(updates.statesOf(jobId)).containsExactly(JobState.IN_QUEUE);
        simulator.recover(job.vmName());
        awaitState(JobState.RUNNING);
    }

    @Test
    void aLauncherImageThatCannotBePulledIsQueuedWithTheReason() {
        tracker(KnownJobStates.NONE);
        simulator.failNextStart(job.vmName(), "ErrImagePull");
        reconciler.reconcile(job.desired());

        await().until(() -> updates.hasMessage(jobId, "launcher image cannot be pulled (ErrImagePull)"));
        assertThat(updates.statesOf(jobId)).containsExactly(JobState.IN_QUEUE);
    }

    @Test
    void aDataVolumeErrorFailsTheJobForGood() {
        tracker(KnownJobStates.NONE);
        simulator.failNextStart(job.vmName(), "DataVolumeError");
        reconciler.reconcile(job.desired());

        awaitState(JobState.FAILURE);
        assertThat(updates.of(jobId).get(updates.of(jobId).size() - 1).status())
                .isEqualTo("The virtual machine's disk could not be imported: DataVolume import failed: unable to "
                        + "download the image.");
        int sent = updates.of(jobId).size();
        simulator.recover(job.vmName());
        await().until(() -> "Running".equals(printableStatus(job.vmName())));
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).hasSize(sent);
    }

    @Test
    void aCrashingVmIsQueuedWithItsBackOffAndRunsAgainWhenItRecovers() {
        tracker(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);

        simulator.crashLoop(job.vmName());

        await().until(() -> updates.hasMessage(jobId, "keeps failing to start (3 failed attempts; next attempt at"));
        assertThat(updates.lastStateOf(jobId)).isEqualTo(JobState.IN_QUEUE);
        simulator.recover(job.vmName());
        awaitState(JobState.RUNNING);
        assertOnlyTransitions();
    }

    @Test
    void aVmMissingForLongerThanTheGracePeriodEndsTheJob() {
        VmStateTracker tracker = tracker(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);

        admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(job.vmName()).delete();
        await().until(() -> tracker.vmMissingSince(jobId).isPresent());
        assertThat(tracker.vmMissingSince(jobId)).contains(clock.instant());
        clock.advance(GRACE.minusSeconds(1));
        tracker.tick();
        assertThat(updates.lastStateOf(jobId)).isEqualTo(JobState.RUNNING);

        clock.advance(Duration.ofSeconds(1));
        tracker.tick();
        assertThat(updates.lastStateOf(jobId)).isEqualTo(JobState.SUCCESS);
        assertThat(updates.of(jobId).get(updates.of(jobId).size() - 1).status()).isEqualTo(VmStateTracker.VM_GONE);
        tracker.tick();
        assertThat(updates.statesOf(jobId)).containsOnlyOnce(JobState.SUCCESS);
    }

    @Test
    void aVmThatComesBackWithinTheGracePeriodKeepsTheJob() {
        VmStateTracker tracker = tracker(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);
        admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(job.vmName()).delete();
        await().until(() -> tracker.vmMissingSince(jobId).isPresent());
        // The garbage collector took the claim with the VM: the disk's volume is Released.
        await().until(() -> "Released".equals(snapshot().volumePhases().get(job.vmName())));

        reconciler.reconcile(job.desired());
        await().until(() -> "Running".equals(printableStatus(job.vmName())));
        await().until(() -> tracker.vmMissingSince(jobId).isEmpty());
        clock.advance(GRACE.plusMinutes(1));
        tracker.tick();
        assertThat(updates.statesOf(jobId)).doesNotContain(JobState.SUCCESS);
    }

    @Test
    void aRestartedTrackerSendsOnlyWhatDiffersFromWhatCoreKnows() {
        SharedInformers firstInformers = informersOn(newCountedClient());
        VmStateTracker first = tracker(firstInformers, KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);
        awaitSimulatorIdle();
        ObservedState coreHas = first.lastSent(jobId).orElseThrow();
        first.close();
        firstInformers.close();
        updates.clear();

        tracker(known(Map.of(jobId, coreHas)));
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).isEmpty();

        // Core saw the job queued when the IM went away: the restarted tracker tells it the job runs.
        updates.clear();
        tracker(known(Map.of(jobId, ObservedState.of(JobState.IN_QUEUE, JobStateMapping.STARTING))));
        await().until(() -> updates.statesOf(jobId).equals(List.of(JobState.RUNNING)));
    }

    @Test
    void aRestartedTrackerEndsActiveJobsWhoseVmIsGoneAfterTheGracePeriod() {
        VmStateTracker tracker = tracker(new KnownJobStates() {
            @Override
            public Optional<ObservedState> lastKnown(String id) {
                return id.equals(jobId) ? Optional.of(ObservedState.of(JobState.RUNNING, null)) : Optional.empty();
            }

            @Override
            public Set<String> activeJobs() {
                return Set.of(jobId, "queued-" + jobId);
            }
        });
        assertThat(updates.all()).isEmpty();
        clock.advance(GRACE);
        tracker.tick();
        assertThat(updates.of(jobId)).singleElement()
                .isEqualTo(JobUpdate.state(JobState.SUCCESS, VmStateTracker.VM_GONE, clock.millis()));
        assertThat(updates.of("queued-" + jobId)).isEmpty();
    }

    @Test
    void preparationIsReportedWhileItRunsAndWhenItFails() {
        VmStateTracker tracker = tracker(KnownJobStates.NONE);
        tracker.preparation(jobId, Preparation.inProgress("Downloading the image: 10%"));
        tracker.preparation(jobId, Preparation.inProgress("Downloading the image: 10%"));
        tracker.preparation(jobId, Preparation.inProgress("Downloading the image: 60%"));
        tracker.preparation(jobId, Preparation.failed("The image's SHA-256 does not match."));

        assertThat(updates.of(jobId)).extracting(u -> u.state() + " " + u.status()).containsExactly(
                "IN_QUEUE Downloading the image: 10%",
                "null Downloading the image: 60%",
                "null Preparing the disk failed: The image's SHA-256 does not match. It is tried again when the job "
                        + "is started again.");

        tracker.preparation(jobId, null);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);
    }

    @Test
    void aTerminatedJobEndsOnceAndIsThenLeftAlone() {
        VmStateTracker tracker = tracker(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);

        reconciler.terminate(jobId);
        tracker.terminated(jobId);
        tracker.terminated(jobId);
        await().until(() -> vmi(job.vmName()) == null);
        clock.advance(GRACE.plusMinutes(1));
        tracker.tick();
        awaitSimulatorIdle();

        assertThat(updates.statesOf(jobId)).containsOnlyOnce(JobState.SUCCESS).endsWith(JobState.SUCCESS);
    }

    @Test
    void theGracePeriodComesFromTheConfiguration() {
        KubeVirtConfig config = new KubeVirtConfig(true, false, "images", "ws://im:42000/agent", 0);
        started(new VmStateTracker(informersOn(newCountedClient()), updates, clock, KnownJobStates.NONE,
                VmStateTracker.Settings.of(config)));
        reconciler.reconcile(job.desired());
        awaitState(JobState.RUNNING);
        admin.genericKubernetesResources(VMS).inNamespace(namespace).withName(job.vmName()).delete();
        // Grace 0: the timer set when the VM went fires at once; nobody calls tick().
        awaitState(JobState.SUCCESS);
    }

    static KnownJobStates known(Map<String, ObservedState> states) {
        return id -> Optional.ofNullable(states.get(id));
    }
}
