package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.disk.DiskPreparationListener;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparationRequest;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparations;
import dk.sdu.cloud.im.kubevirt.disk.PreparedDisk;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disk preparations the test decides: a preparation ends when the test says so, whatever it was asked (a
 * cancel is recorded, not obeyed: the disk may be ready just as the job is terminated). No file is made and no
 * qemu-img runs. The test can wait until the lifecycle's follow-up of a preparation has run.
 */
final class ScriptedDiskPreparations implements DiskPreparations {
    private final Map<String, Preparation> running = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    /** A preparation whose asynchronous follow-ups can be awaited. */
    static final class Preparation extends CompletableFuture<PreparedDisk> {
        final DiskPreparationRequest request;
        private final CountDownLatch followedUp = new CountDownLatch(1);

        Preparation(DiskPreparationRequest request) {
            this.request = request;
        }

        @Override
        public CompletableFuture<PreparedDisk> whenCompleteAsync(
                BiConsumer<? super PreparedDisk, ? super Throwable> action, Executor executor) {
            return super.whenCompleteAsync((disk, failure) -> {
                try {
                    action.accept(disk, failure);
                } finally {
                    followedUp.countDown();
                }
            }, executor);
        }
    }

    @Override
    public CompletableFuture<PreparedDisk> prepare(DiskPreparationRequest request, DiskPreparationListener listener) {
        return running.computeIfAbsent(request.jobId(), job -> new Preparation(request));
    }

    @Override
    public boolean isPrepared(DiskPreparationRequest request) {
        return false;
    }

    @Override
    public boolean cancel(String jobId) {
        cancelled.add(jobId);
        return running.containsKey(jobId);
    }

    @Override
    public void close() {
    }

    boolean isRunning(String jobId) {
        return running.containsKey(jobId);
    }

    boolean wasCancelled(String jobId) {
        return cancelled.contains(jobId);
    }

    /** The job's preparation ends with a disk (that is not really made). */
    Preparation finish(String jobId) {
        Preparation preparation = running.remove(jobId);
        assertThat(preparation).as("a preparation of %s runs", jobId).isNotNull();
        preparation.complete(new PreparedDisk(jobId, preparation.request.jobFolder().resolve("disk.img"), false));
        return preparation;
    }

    /** Waits until what the lifecycle does when the preparation has ended is done. */
    static void awaitFollowUp(Preparation preparation) throws InterruptedException {
        assertThat(preparation.followedUp.await(60, TimeUnit.SECONDS)).as("the preparation was followed up").isTrue();
    }
}
