package dk.sdu.cloud.im.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A controller's work queue: keys to look at, each queued at most once at a time, handled one after the other
 * on one thread (so handlers need no locks among themselves). A key queued while it is being handled is
 * handled again afterwards, with whatever the world looks like then. Keys queued before {@link #start()} wait
 * for it, so that a controller acts only once all its caches are filled.
 */
final class WorkQueue<K> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);

    private final Set<K> queued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    private final ExecutorService worker;
    private final Consumer<K> handler;
    private volatile boolean started;
    private volatile boolean closed;

    WorkQueue(String threadName, Consumer<K> handler) {
        this.handler = handler;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    void add(K key) {
        if (!queued.add(key)) {
            return;
        }
        pending.incrementAndGet();
        if (started) {
            submit(key);
        }
    }

    /** Starts handling keys, those queued so far first. */
    void start() {
        started = true;
        for (K key : List.copyOf(queued)) {
            submit(key);
        }
    }

    private void submit(K key) {
        try {
            worker.execute(() -> handle(key));
        } catch (RejectedExecutionException closed) {
            log.debug("simulator: {} arrived after the work queue closed", key);
        }
    }

    private void handle(K key) {
        // A key can be submitted twice when it arrives while start() runs; one of the two does the work.
        if (!queued.remove(key)) {
            return;
        }
        try {
            handler.accept(key);
        } catch (RuntimeException e) {
            if (closed) {
                log.debug("simulator: handling {} stopped by close: {}", key, e.toString());
            } else {
                // A controller does not stop on one bad object; the next event for the key brings it back.
                log.warn("simulator: handling {} failed: {}", key, e.toString(), e);
            }
        } finally {
            pending.decrementAndGet();
        }
    }

    /** Whether nothing is queued or being handled right now. */
    boolean isIdle() {
        return pending.get() == 0;
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
