package dk.sdu.cloud.im.kubevirt.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose periodic tasks run only when the test calls {@link #tick}, on the test's thread: the test,
 * not the machine's speed, decides that a period (a watchdog's, a retry's) has passed. Only periodic tasks are
 * supported.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final List<Periodic> tasks = new CopyOnWriteArrayList<>();
    private volatile boolean shutdown;

    /** Runs each scheduled periodic task once, as if one period had passed. */
    public void tick() {
        for (Periodic task : tasks) {
            task.command.run();
        }
    }

    /** The periods of the scheduled tasks that are not cancelled: one tick stands for that much time. */
    public List<Duration> periods() {
        return tasks.stream().map(task -> Duration.ofMillis(task.periodMillis)).toList();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        Periodic task = new Periodic(command, unit.toMillis(period));
        tasks.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only periodic tasks");
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only periodic tasks");
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("only periodic tasks");
    }

    @Override
    public void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    private final class Periodic implements ScheduledFuture<Object> {
        final Runnable command;
        final long periodMillis;
        private volatile boolean cancelled;

        Periodic(Runnable command, long periodMillis) {
            this.command = command;
            this.periodMillis = periodMillis;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return tasks.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a periodic task has no result");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a periodic task has no result");
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(periodMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }
    }
}
