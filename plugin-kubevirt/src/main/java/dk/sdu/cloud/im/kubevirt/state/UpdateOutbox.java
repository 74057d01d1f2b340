package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The hand-off between the tracker's decisions and the host's {@link JobUpdates}: updates are {@link #add added}
 * under the tracker's lock, in the order they were decided, and {@link #flush flushed} after it is released,
 * because sending may be slow (the host appends each update to its job store). Each job has its own queue and
 * is sent by one thread at a time, so its updates reach the host in the order they were decided; a send that
 * blocks holds up only its own job. Thread-safe.
 */
final class UpdateOutbox {

    private static final Logger log = LoggerFactory.getLogger(UpdateOutbox.class);

    private final JobUpdates updates;
    private final ConcurrentHashMap<String, JobQueue> queues = new ConcurrentHashMap<>();

    /** The updates of one job not sent yet, and the lock of whoever sends them. */
    private static final class JobQueue {
        final Queue<JobUpdate> pending = new ConcurrentLinkedQueue<>();
        final ReentrantLock sending = new ReentrantLock();
    }

    UpdateOutbox(JobUpdates updates) {
        this.updates = requireNonNull(updates, "updates is null");
    }

    /** Queues an update of a job behind the ones decided before it. */
    void add(String jobId, JobUpdate update) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(update, "update is null");
        queues.compute(jobId, (job, queue) -> {
            JobQueue target = queue == null ? new JobQueue() : queue;
            target.pending.add(update);
            return target;
        });
    }

    /**
     * Sends the queued updates of these jobs, each job's in order. Returns once they are sent: a job another
     * thread is sending is waited for (its updates are then sent by the time this returns).
     */
    void flush(Collection<String> jobIds) {
        for (String jobId : jobIds) {
            flush(jobId);
        }
    }

    private void flush(String jobId) {
        JobQueue queue = queues.get(jobId);
        while (queue != null) {
            queue.sending.lock();
            try {
                drain(jobId, queue);
            } finally {
                queue.sending.unlock();
            }
            // Dropped once empty: a job decided on after that has a new queue, which may hold its updates.
            queue = queues.get(jobId);
        }
    }

    /** Sends until the queue is empty and dropped from the map (atomically with {@link #add}). */
    private void drain(String jobId, JobQueue queue) {
        while (true) {
            JobUpdate update = queue.pending.poll();
            if (update == null) {
                if (queues.computeIfPresent(jobId, (job, current) ->
                        current == queue && queue.pending.isEmpty() ? null : current) != queue) {
                    return;
                }
                continue;
            }
            try {
                updates.send(jobId, update);
            } catch (RuntimeException e) {
                // The host keeps what it was handed; one that throws lost this update, not the ones after it.
                log.warn("Sending an update of job {} failed: {}", jobId, update, e);
            }
        }
    }
}
