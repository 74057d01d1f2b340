package dk.sdu.cloud.im.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Runs tasks one after the other, in the order given, on threads of a shared pool: one watch's events stay
 * in order without a thread of its own. {@link #execute} never waits: it queues.
 */
final class OrderedExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(OrderedExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    OrderedExecutor(Executor pool) {
        this.pool = requireNonNull(pool, "pool is null");
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(requireNonNull(task, "task is null"));
        drainSoon();
    }

    private void drainSoon() {
        if (draining.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The pool is gone (the server is closing): what is queued can no longer be delivered.
                tasks.clear();
                draining.set(false);
                log.debug("the pool is shut down; dropping queued tasks", e);
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.debug("an ordered task failed", e);
                }
            }
        } finally {
            draining.set(false);
            if (!tasks.isEmpty()) {
                drainSoon();
            }
        }
    }
}
