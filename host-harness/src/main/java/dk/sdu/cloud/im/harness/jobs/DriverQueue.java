package dk.sdu.cloud.im.harness.jobs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The jobs waiting for a worker, first come first served, each at most once: a job offered while it waits keeps
 * its place, and a job offered while a worker has it waits again once that worker is done (at the end of the
 * line). So no job is worked on by two workers at once, and no offer is lost. Nothing but memory is touched
 * under its lock.
 */
final class DriverQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final LinkedHashMap<String, Boolean> waiting = new LinkedHashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Boolean> offeredWhileTaken = new HashMap<>();
    private boolean closed;

    /**
     * A job for a worker.
     *
     * @param jobId    the job
     * @param reassert whether its last request is to be carried out even if it was carried out already
     */
    record Entry(String jobId, boolean reassert) {
        Entry {
            requireNonNull(jobId, "jobId is null");
        }
    }

    /** Adds a job, unless it waits already (then it keeps its place); ignored once closed. */
    void offer(String jobId, boolean reassert) {
        requireNonNull(jobId, "jobId is null");
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (taken.contains(jobId)) {
                offeredWhileTaken.merge(jobId, reassert, Boolean::logicalOr);
                return;
            }
            waiting.merge(jobId, reassert, Boolean::logicalOr);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The job that waited longest, waiting for one if there is none; empty once closed. The caller must call
     * {@link #done} for it.
     */
    Optional<Entry> take() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && waiting.isEmpty()) {
                notEmpty.await();
            }
            if (closed) {
                return Optional.empty();
            }
            Iterator<Map.Entry<String, Boolean>> first = waiting.entrySet().iterator();
            Map.Entry<String, Boolean> entry = first.next();
            first.remove();
            taken.add(entry.getKey());
            return Optional.of(new Entry(entry.getKey(), entry.getValue()));
        } finally {
            lock.unlock();
        }
    }

    /** A worker is done with a job; when it was offered meanwhile, it waits again. */
    void done(String jobId) {
        lock.lock();
        try {
            taken.remove(jobId);
            Boolean reassert = offeredWhileTaken.remove(jobId);
            if (reassert != null && !closed) {
                waiting.merge(jobId, reassert, Boolean::logicalOr);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many jobs wait (not counting those a worker has). */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out jobs: every {@link #take} returns empty from now on. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
