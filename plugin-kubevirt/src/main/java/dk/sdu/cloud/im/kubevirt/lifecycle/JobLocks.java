package dk.sdu.cloud.im.kubevirt.lifecycle;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Serialises the operations of each job: two operations of one job never overlap; operations of different
 * jobs usually run side by side. Striped (a fixed set of locks picked by the job id's hash), so nothing
 * grows with the number of jobs; two jobs that share a stripe merely wait for each other.
 */
final class JobLocks {
    private final ReentrantLock[] stripes;

    JobLocks(int stripes) {
        if (stripes < 1) {
            throw new IllegalArgumentException("stripes must be positive, got " + stripes);
        }
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    <T> T call(String jobId, Supplier<T> work) {
        requireNonNull(jobId, "jobId is null");
        ReentrantLock lock = stripes[Math.floorMod(jobId.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void run(String jobId, Runnable work) {
        call(jobId, () -> {
            work.run();
            return null;
        });
    }
}
