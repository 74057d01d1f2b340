package dk.sdu.cloud.im.harness.time;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A {@link DelayTimer} on one daemon thread. Tasks still waiting when it is closed are dropped: it is closed when
 * the IM stops, and what they would have done is either carried on by the next start or moot.
 */
public final class ScheduledDelayTimer implements DelayTimer, AutoCloseable {
    private final ScheduledExecutorService executor;

    /** @param threadName the name of the timer's thread, for thread dumps */
    public ScheduledDelayTimer(String threadName) {
        requireNonNull(threadName, "threadName is null");
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void after(Duration delay, Runnable task) {
        requireNonNull(delay, "delay is null");
        requireNonNull(task, "task is null");
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: the IM is stopping.
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
