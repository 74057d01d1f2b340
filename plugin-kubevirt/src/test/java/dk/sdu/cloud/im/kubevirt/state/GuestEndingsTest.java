package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.simulator.InstanceEnd;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each way a running VM can end, played by the simulator as KubeVirt v1.9 reports it, read by the tracker:
 * the job's state and message, and no update sent twice.
 */
class GuestEndingsTest extends EmbeddedClusterTest {

    static final Duration AGENT_TIMEOUT = Duration.ofMinutes(5);

    final RecordingJobUpdates updates = new RecordingJobUpdates();
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final Set<String> poweredOff = ConcurrentHashMap.newKeySet();
    ObjectReconciler reconciler;
    VmJobFixture job;
    String jobId;
    VmStateTracker tracker;

    @BeforeEach
    void setUp() {
        reconciler = new ObjectReconciler(client, namespace);
        job = new VmJobFixture(unique, namespace);
        jobId = unique;
    }

    @AfterEach
    void closeTracker() {
        if (tracker != null) {
            tracker.close();
        }
    }

    VmStateTracker start(KnownJobStates known) {
        tracker = new VmStateTracker(informersOn(newCountedClient()), updates, clock, known,
                new VmStateTracker.Settings(Duration.ofMinutes(5), AGENT_TIMEOUT, id -> Optional.empty(),
                        poweredOff::add));
        tracker.start();
        return tracker;
    }

    void startRunning() {
        start(KnownJobStates.NONE);
        reconciler.reconcile(job.desired());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
        await().until(() -> updates.hasMessage(jobId, BootStages.BOOTING));
    }

    String lastMessage() {
        List<JobUpdate> sent = updates.of(jobId);
        return sent.get(sent.size() - 1).status();
    }

    String instanceUid() {
        GenericKubernetesResource vmi = vmi(job.vmName());
        return vmi == null ? null : vmi.getMetadata().getUid();
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

    @Test
    void aGuestThatPowersItselfOffSuspendsTheJobAndStaysOff() {
        startRunning();

        simulator.end(job.vmName(), InstanceEnd.POWER_OFF);

        await().until(() -> updates.lastStateOf(jobId) == JobState.SUSPENDED);
        assertThat(lastMessage()).isEqualTo(JobStateMapping.GUEST_POWERED_OFF);
        await().until(() -> vmi(job.vmName()) == null);
        awaitSimulatorIdle();
        assertThat(poweredOff).contains(jobId);
        // RerunOnFailure: KubeVirt leaves it off.
        assertThat(vmi(job.vmName())).isNull();
        assertThat(printableStatus(job.vmName())).isEqualTo("Stopped");
        assertThat(updates.lastStateOf(jobId)).isEqualTo(JobState.SUSPENDED);
        assertOnlyTransitions();

        // The plugin then halts it (annotated powered-off): Core hears nothing new.
        int sent = updates.of(jobId).size();
        reconciler.suspend(jobId, java.util.Map.of("ucloud.dk/lifecycle", "powered-off"));
        await().until(() -> "Halted".equals(vm(job.vmName()).get("status", "runStrategy")));
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).hasSize(sent);
    }

    @Test
    void anImRestartReadsAPoweredOffVm() {
        startRunning();
        simulator.end(job.vmName(), InstanceEnd.POWER_OFF);
        await().until(() -> vmi(job.vmName()) == null && "Stopped".equals(printableStatus(job.vmName())));
        tracker.close();
        updates.clear();
        poweredOff.clear();

        // Core still has it running: the restarted tracker finds the VM off and says so, once.
        start(id -> Optional.of(ObservedState.of(JobState.RUNNING, BootStages.BOOTING)));
        await().until(() -> updates.lastStateOf(jobId) == JobState.SUSPENDED);
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).singleElement().isEqualTo(JobUpdate.state(JobState.SUSPENDED,
                JobStateMapping.GUEST_POWERED_OFF, clock.millis()));
        assertThat(poweredOff).contains(jobId);
    }

    @Test
    void aCrashRestartsTheVmAndSaysSo() {
        assertRestartsAfter(InstanceEnd.CRASH, "The virtual machine stopped unexpectedly (Error, exit code 1); it is "
                + "restarting.");
    }

    @Test
    void anOutOfMemoryKillRestartsTheVmAndSaysSo() {
        assertRestartsAfter(InstanceEnd.OOM_KILL, "The virtual machine ran out of memory and was killed "
                + "(OOMKilled); it is restarting.");
    }

    @Test
    void anEvictionRestartsTheVmAndSaysWhy() {
        assertRestartsAfter(InstanceEnd.EVICTION, "The virtual machine was evicted from its node: The node was low "
                + "on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container compute was using "
                + "2101248Ki, request is 2Gi, has larger consumption of memory; it is restarting.");
    }

    @Test
    void aLostNodeRestartsTheVmAndSaysSo() {
        assertRestartsAfter(InstanceEnd.NODE_LOSS, "The node of the virtual machine stopped responding, so the "
                + "virtual machine was stopped; it is restarting.");
    }

    void assertRestartsAfter(InstanceEnd how, String message) {
        startRunning();
        String before = instanceUid();

        simulator.end(job.vmName(), how);

        await().untilAsserted(() -> assertThat(updates.of(jobId)).extracting(JobUpdate::status).contains(message));
        // RerunOnFailure: a new instance, running again, booting anew.
        await().until(() -> {
            String now = instanceUid();
            return now != null && !now.equals(before) && updates.lastStateOf(jobId) == JobState.RUNNING
                    && BootStages.BOOTING.equals(lastMessage());
        });
        awaitSimulatorIdle();
        assertThat(updates.statesOf(jobId)).doesNotContain(JobState.SUSPENDED, JobState.SUCCESS, JobState.FAILURE);
        assertThat(updates.of(jobId)).filteredOn(u -> message.equals(u.status())).hasSize(1);
        // Once told, the reason stays: KubeVirt deletes the launcher pod before the failed instance.
        List<String> said = updates.of(jobId).stream().map(JobUpdate::status).toList();
        assertThat(said.subList(said.indexOf(message), said.size()))
                .filteredOn(status -> status != null && status.endsWith(JobStateMapping.RESTARTING))
                .containsOnly(message);
        assertThat(poweredOff).isEmpty();
        assertOnlyTransitions();
    }

    @Test
    void anUnschedulableRestartStaysQueuedWithTheReason() {
        startRunning();
        simulator.failNextStart(job.vmName(), "ErrorUnschedulable");

        simulator.end(job.vmName(), InstanceEnd.NODE_LOSS);

        await().until(() -> updates.hasMessage(jobId, "cannot be scheduled yet: 0/1 nodes are available"));
        awaitSimulatorIdle();
        assertThat(updates.lastStateOf(jobId)).isEqualTo(JobState.IN_QUEUE);
        assertOnlyTransitions();
        simulator.recover(job.vmName());
        await().until(() -> updates.lastStateOf(jobId) == JobState.RUNNING);
    }

    @Test
    void theBootStagesFollowTheAgentEachOnce() {
        startRunning();

        tracker.agentConnected(jobId, new GuestAgentReport("Ubuntu 24.04.1 LTS", "10.244.0.7"));
        tracker.agentConnected(jobId, new GuestAgentReport("Ubuntu 24.04.1 LTS", "10.244.0.7"));
        assertThat(lastMessage()).isEqualTo("The guest is up: its agent is connected (Ubuntu 24.04.1 LTS, "
                + "10.244.0.7).");
        tracker.agentReady(jobId);
        tracker.agentReady(jobId);
        assertThat(lastMessage()).isEqualTo(BootStages.READY);
        clock.advance(AGENT_TIMEOUT.plusMinutes(1));
        tracker.tick();

        assertThat(updates.of(jobId)).extracting(JobUpdate::status).containsSubsequence(BootStages.BOOTING,
                "The guest is up: its agent is connected (Ubuntu 24.04.1 LTS, 10.244.0.7).", BootStages.READY)
                .doesNotContain((String) null).last().isEqualTo(BootStages.READY);
        assertOnlyTransitions();
    }

    @Test
    void aGuestWhoseAgentDoesNotConnectInTimeIsPointedToTheConsole() {
        startRunning();
        clock.advance(AGENT_TIMEOUT.minusSeconds(1));
        tracker.tick();
        assertThat(lastMessage()).isEqualTo(BootStages.BOOTING);

        clock.advance(Duration.ofSeconds(1));
        tracker.tick();
        tracker.tick();
        assertThat(lastMessage()).isEqualTo("The guest's agent has not connected within 5 minutes of the boot. Open "
                + "the job's console to see what the guest shows.");

        // A late agent still moves it on.
        tracker.agentConnected(jobId, GuestAgentReport.NONE);
        assertThat(lastMessage()).isEqualTo("The guest is up: its agent is connected.");
        assertOnlyTransitions();
    }

    @Test
    void aRestartedTrackerDoesNotAnnounceTheBootOfARunningGuestAgain() {
        startRunning();
        tracker.agentConnected(jobId, GuestAgentReport.NONE);
        tracker.agentReady(jobId);
        tracker.close();
        updates.clear();

        start(id -> Optional.of(ObservedState.of(JobState.RUNNING, BootStages.READY)));
        awaitSimulatorIdle();
        assertThat(updates.of(jobId)).isEmpty();
        // Its agent reconnects.
        tracker.agentConnected(jobId, GuestAgentReport.NONE);
        tracker.agentReady(jobId);
        assertThat(updates.of(jobId)).extracting(JobUpdate::status).containsExactly(
                "The guest is up: its agent is connected.", BootStages.READY);
    }
}
