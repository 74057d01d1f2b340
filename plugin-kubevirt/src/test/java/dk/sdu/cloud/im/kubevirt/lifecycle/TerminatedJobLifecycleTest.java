package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A terminated job stays ended: a start or unsuspend after its terminate, or one that waited for the terminate's
 * lock, is refused and makes nothing; a terminate that waited for a start's lock leaves no VM behind.
 */
class TerminatedJobLifecycleTest extends BackendTestbed {

    @Test
    void aStartOrUnsuspendAfterATerminateIsRefusedAndWritesNothing() {
        Job job = job("a");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        backend.terminate(job);
        awaitState(job, JobState.SUCCESS);
        // Its volumes are gone as well, the disk's mark of the termination with them: the IM remembers.
        await().until(() -> snapshot().names().isEmpty());
        counter.reset();

        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessage("job " + job.id() + " was terminated");
        assertThatThrownBy(() -> backend.unsuspend(job)).isInstanceOf(JobRejectedException.class)
                .hasMessage("job " + job.id() + " was terminated");
        backend.suspend(job);

        assertThat(counter.snapshot().writes()).as("requests: %s", counter.snapshot().byVerbAndResource()).isZero();
        assertThat(snapshot().names()).isEmpty();
        assertThat(updates.statesOf(job.id())).containsOnlyOnce(JobState.SUCCESS).endsWith(JobState.SUCCESS);
    }

    @Test
    void aJobTerminatedBeforeItWasEverStartedIsNeverStarted() {
        Job job = job("b");
        backend.terminate(job);
        awaitState(job, JobState.SUCCESS);
        counter.reset();

        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessage("job " + job.id() + " was terminated");

        assertThat(counter.snapshot().writes()).isZero();
        assertThat(snapshot().names()).isEmpty();
        assertThat(jobFolder(job)).doesNotExist();
        assertThat(images.requests(IMAGE_PATH)).isZero();
    }

    @Test
    void aStartThatWaitedForTheLockOfATerminateIsRefused() throws Exception {
        Held success = new Held();
        KubeVirtComputeBackend im = reopen(heldOn(JobState.SUCCESS, success), jobId -> List.of(SSH_KEY));
        Job job = job("c");
        im.start(job);
        awaitState(job, JobState.RUNNING);
        Thread terminator = new Thread(() -> im.terminate(job));
        terminator.start();
        // The terminate holds the job's lock, its VM deleted, while it reports SUCCESS.
        success.awaitReached();

        AtomicReference<Throwable> startFailure = new AtomicReference<>();
        Thread starter = waitingForTheLock(() -> im.start(job), startFailure);
        success.release();
        join(terminator);
        join(starter);

        assertThat(startFailure.get()).isInstanceOf(JobRejectedException.class)
                .hasMessage("job " + job.id() + " was terminated");
        awaitState(job, JobState.SUCCESS);
        await().until(() -> snapshot().names().isEmpty());
        assertThat(updates.statesOf(job.id())).containsOnlyOnce(JobState.SUCCESS).endsWith(JobState.SUCCESS);
    }

    @Test
    void aTerminateThatWaitedForTheLockOfAStartLeavesNoVmAndThePreparationSwitchesNothingOn() throws Exception {
        Held keys = new Held();
        KubeVirtComputeBackend im = reopen(updates, heldKeys(keys));
        Job job = job("d");
        CountDownLatch download = images.hold(IMAGE_PATH);
        AtomicReference<Throwable> startFailure = new AtomicReference<>();
        Thread starter = new Thread(() -> run(() -> im.start(job), startFailure));
        starter.start();
        // The start holds the job's lock, before it has made anything.
        keys.awaitReached();

        AtomicReference<Throwable> terminateFailure = new AtomicReference<>();
        Thread terminator = waitingForTheLock(() -> im.terminate(job), terminateFailure);
        keys.release();
        join(starter);
        join(terminator);

        assertThat(startFailure.get()).isNull();
        assertThat(terminateFailure.get()).isNull();
        awaitState(job, JobState.SUCCESS);
        download.countDown();
        await().until(() -> snapshot().names().isEmpty());
        assertThat(updates.statesOf(job.id())).doesNotContain(JobState.RUNNING).endsWith(JobState.SUCCESS);
        assertThat(disk(job)).doesNotExist();
        assertThatThrownBy(() -> im.unsuspend(job)).isInstanceOf(JobRejectedException.class);
    }

    @Test
    void aDiskThatBecomesReadyWhileItsJobIsTerminatedSwitchesNothingOn() throws Exception {
        ScriptedDiskPreparations disks = new ScriptedDiskPreparations();
        KubeVirtComputeBackend im = openBackendWith(disks);
        Job job = job("e");
        im.start(job);
        assertThat(disks.isRunning(job.id())).isTrue();
        AtomicReference<Throwable> terminateFailure = new AtomicReference<>();
        Thread terminator = new Thread(() -> run(() -> im.terminate(job), terminateFailure));
        terminator.start();
        // The terminate holds the job's lock and waits for the preparation it cancelled to end.
        await().until(() -> disks.wasCancelled(job.id()));

        ScriptedDiskPreparations.Preparation ready = disks.finish(job.id());
        join(terminator);
        ScriptedDiskPreparations.awaitFollowUp(ready);

        assertThat(terminateFailure.get()).isNull();
        assertThat(vmOf(job)).isNull();
        awaitState(job, JobState.SUCCESS);
        await().until(() -> snapshot().names().isEmpty());
        assertThat(updates.statesOf(job.id())).doesNotContain(JobState.RUNNING);
    }

    // --- fixtures ---

    /** A step of the IM held in the thread that takes it, until the test releases it. */
    static final class Held {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Holds the first caller only. */
        void hold() {
            if (reached.getCount() == 0) {
                return;
            }
            reached.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitReached() throws InterruptedException {
            assertThat(reached.await(60, TimeUnit.SECONDS)).as("the step was reached").isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    /** The recorded updates, the first with the state held until released. */
    private JobUpdates heldOn(JobState state, Held held) {
        return new JobUpdates() {
            @Override
            public void send(String jobId, JobUpdate update) {
                if (update.state() == state) {
                    held.hold();
                }
                updates.send(jobId, update);
            }

            @Override
            public Optional<JobUpdate> lastRecorded(String jobId) {
                return updates.lastRecorded(jobId);
            }
        };
    }

    private static SshKeyDirectory heldKeys(Held held) {
        return jobId -> {
            held.hold();
            return List.of(SSH_KEY);
        };
    }

    /** The IM with these host services instead of the test's first one. */
    private KubeVirtComputeBackend reopen(JobUpdates jobUpdates, SshKeyDirectory keys) {
        stop(backend);
        KubeVirtComputeBackend im = newBackend(newCountedClient(), provider.ssh(), jobUpdates, keys);
        im.open();
        return im;
    }

    /**
     * Runs an operation in a thread of its own and returns once that thread waits (for the job's lock, which
     * the test holds through a held step). Should it not be waiting yet, it comes after the holder all the same.
     */
    private static Thread waitingForTheLock(Runnable operation, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> run(operation, failure));
        thread.start();
        await().until(() -> thread.getState() == Thread.State.WAITING || !thread.isAlive());
        return thread;
    }

    private static void run(Runnable operation, AtomicReference<Throwable> failure) {
        try {
            operation.run();
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(thread.isAlive()).as("%s ended", thread).isFalse();
    }
}
