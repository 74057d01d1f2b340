package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.MutableClock;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.VmJobFixture;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker decides under its lock and sends after it (sending is the host's disk I/O): a send that blocks
 * for one job holds up neither the decisions nor the sends of another, and each job's updates stay in order.
 */
class SendingOutsideTheLockTest extends EmbeddedClusterTest {

    /** A generous bound for what must not wait on the blocked send; it only ends a test that would hang. */
    static final long BOUND_SECONDS = 15;
    static final String CONNECTED = BootStages.AGENT_CONNECTED + ".";

    final RecordingJobUpdates recorded = new RecordingJobUpdates();
    final CountDownLatch blockedSendEntered = new CountDownLatch(1);
    final CountDownLatch releaseBlockedSend = new CountDownLatch(1);
    final ExecutorService threads = Executors.newFixedThreadPool(2);
    volatile String blockedJob;

    /** Holds the first update of {@link #blockedJob} until released, as a host whose disk is slow would. */
    final JobUpdates updates = (job, update) -> {
        if (job.equals(blockedJob) && blockedSendEntered.getCount() > 0) {
            blockedSendEntered.countDown();
            try {
                releaseBlockedSend.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        recorded.send(job, update);
    };
    VmStateTracker tracker;

    @AfterEach
    void release() {
        releaseBlockedSend.countDown();
        threads.shutdownNow();
        if (tracker != null) {
            tracker.close();
        }
    }

    @Test
    void aSendThatBlocksForOneJobHoldsUpNoOtherJobAndKeepsItsOrder() throws Exception {
        String a = unique;
        String b = unique + "b";
        ObjectReconciler reconciler = new ObjectReconciler(client, namespace);
        tracker = new VmStateTracker(informersOn(newCountedClient()), updates,
                new MutableClock(Instant.parse("2030-01-01T00:00:00Z")), KnownJobStates.NONE,
                new VmStateTracker.Settings(Duration.ofMinutes(5), Duration.ofMinutes(5), id -> Optional.empty(),
                        id -> { }));
        tracker.start();
        reconciler.reconcile(new VmJobFixture(a, namespace).desired());
        reconciler.reconcile(new VmJobFixture(b, namespace).desired());
        await().until(() -> recorded.hasMessage(a, BootStages.BOOTING) && recorded.hasMessage(b, BootStages.BOOTING));
        awaitSimulatorIdle();

        blockedJob = a;
        CompletableFuture<Void> connectedA = CompletableFuture.runAsync(
                () -> tracker.agentConnected(a, GuestAgentReport.NONE), threads);
        assertThat(blockedSendEntered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        // A's next update is decided while its first is still being sent, and waits behind it.
        CompletableFuture<Void> readyA = CompletableFuture.runAsync(() -> tracker.agentReady(a), threads);
        await().until(() -> tracker.lastSent(a).map(ObservedState::message).orElse(null),
                BootStages.READY::equals);

        // B is decided and sent meanwhile.
        CompletableFuture.runAsync(() -> tracker.agentConnected(b, GuestAgentReport.NONE))
                .get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(recorded.of(b)).extracting(JobUpdate::status).last().isEqualTo(CONNECTED);
        assertThat(recorded.of(a)).extracting(JobUpdate::status).doesNotContain(CONNECTED, BootStages.READY);
        assertThat(connectedA).isNotDone();
        assertThat(readyA).isNotDone();

        releaseBlockedSend.countDown();
        connectedA.get(BOUND_SECONDS, TimeUnit.SECONDS);
        readyA.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(recorded.of(a)).extracting(JobUpdate::status)
                .containsSubsequence(BootStages.BOOTING, CONNECTED, BootStages.READY)
                .last().isEqualTo(BootStages.READY);
    }
}
