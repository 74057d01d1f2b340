package dk.sdu.cloud.im.kubevirt.agent;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs a task after a delay: the agent endpoint's timers (hello deadline, heartbeats, slowed answers, TTY
 * timeouts). A seam so that tests decide when time passes; the server never sleeps on a connection's thread.
 */
@FunctionalInterface
public interface AgentScheduler {

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off; does nothing when it ran or was called off already. */
        void cancel();
    }

    /** Runs the task once, after the delay (at once when it is zero or negative), on a thread of its own. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduler over an executor's threads; once it is shut down (the IM stops), tasks are dropped. */
    static AgentScheduler of(ScheduledExecutorService executor) {
        requireNonNull(executor, "executor is null");
        return (delay, task) -> {
            try {
                ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toNanos()),
                        TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            } catch (RejectedExecutionException stopping) {
                return () -> { };
            }
        };
    }
}
