package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.ClusterStateFile.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the embedded cluster's state file up to date: every change of the store asks for a write
 * ({@link #changed()}, called with the store's lock held: it only counts and wakes the writer), and a thread of
 * its own takes a snapshot of the store and writes it ({@link ClusterStateFile}). Changes that come while a
 * write runs, or during the pause after it, are written together by the next one, so requests never wait for
 * the disk. A failed write is logged and retried at the next change.
 *
 * <p>Why the pause: each write copies and writes every stored object (18,000 at 1,000 jobs, tens of MiB). Busy
 * jobs change the store all the time, and writing back to back kept a core busy rewriting the file. After a
 * write the writer waits for the longer of {@code pause} and twice the write's own time, so it spends at most
 * a third of a core; the file is that much (plus one write) behind the store. {@link #flush} and
 * {@link #close()} do not wait for the pause.
 */
final class ClusterStateWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterStateWriter.class);

    private final ClusterStateFile file;
    private final Supplier<List<StoredObject>> snapshot;
    private final Duration pause;
    private final Thread thread;
    private final Object monitor = new Object();
    // Guarded by monitor: changes asked for, changes written (or given up on), the change a flush waits for,
    // whether to stop.
    private long requested;
    private long written;
    private long flushTarget;
    private boolean stopping;

    /**
     * @param snapshot the store's objects now (copied under the store's own lock, no I/O)
     * @param pause    the least time from the end of one write to the start of the next
     */
    ClusterStateWriter(ClusterStateFile file, Supplier<List<StoredObject>> snapshot, Duration pause) {
        this.file = requireNonNull(file, "file is null");
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.pause = requireNonNull(pause, "pause is null");
        if (pause.isNegative()) {
            throw new IllegalArgumentException("pause is negative: " + pause);
        }
        this.thread = new Thread(this::run, "embedded-kubernetes-state-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The store changed: write it (soon, on the writer's thread). */
    void changed() {
        synchronized (monitor) {
            requested++;
            monitor.notifyAll();
        }
    }

    /**
     * Waits until every change asked for before this call is written (or its write failed).
     *
     * @return whether that happened within the timeout
     */
    boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            long target = requested;
            flushTarget = Math.max(flushTarget, target);
            monitor.notifyAll();
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.isAlive()) {
                    return written >= target;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void run() {
        long nextWriteAt = System.nanoTime();
        while (true) {
            long target;
            synchronized (monitor) {
                try {
                    while (written >= requested && !stopping) {
                        monitor.wait();
                    }
                    // Changes wait out the pause (more of them join this write), unless someone waits for them.
                    long left;
                    while (!stopping && flushTarget <= written && (left = nextWriteAt - System.nanoTime()) > 0) {
                        monitor.wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (written >= requested) {
                    return;             // stopping, and nothing left to write
                }
                target = requested;
            }
            long started = System.nanoTime();
            try {
                file.write(snapshot.get());
            } catch (IOException | RuntimeException e) {
                log.warn("Cannot write the embedded cluster's state to {} (the previous state stays): {}",
                        file.file(), e.toString());
            }
            long ended = System.nanoTime();
            nextWriteAt = ended + Math.max(pause.toNanos(), 2 * (ended - started));
            synchronized (monitor) {
                written = target;
                monitor.notifyAll();
            }
        }
    }

    /** Writes what is left, then stops. */
    @Override
    public void close() {
        synchronized (monitor) {
            stopping = true;
            monitor.notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The embedded cluster's state writer did not finish within 30 s; {} may be behind", file.file());
        }
    }
}
