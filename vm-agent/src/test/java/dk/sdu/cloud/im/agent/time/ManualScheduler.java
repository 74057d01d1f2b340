package dk.sdu.cloud.im.agent.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A scheduler whose time moves only when a test says so; due tasks run on the test's thread. */
public final class ManualScheduler implements Scheduler {
    private final List<Task> tasks = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long sequence;

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        return add(new Task(now.plus(delay), null, task, sequence++));
    }

    @Override
    public synchronized Cancellable scheduleRepeating(Duration period, Runnable task) {
        return add(new Task(now.plus(period), period, task, sequence++));
    }

    private Cancellable add(Task task) {
        tasks.add(task);
        return () -> {
            synchronized (this) {
                tasks.remove(task);
            }
        };
    }

    /** Moves time forward, running every task that falls due on the way, in order. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Task due;
            synchronized (this) {
                due = tasks.stream()
                        .filter(t -> !t.due.isAfter(target))
                        .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.sequence))
                        .orElse(null);
                if (due == null) {
                    now = target;
                    return;
                }
                now = due.due;
                if (due.period == null) {
                    tasks.remove(due);
                } else {
                    due.due = due.due.plus(due.period);
                }
            }
            due.action.run();
        }
    }

    /** The delays from now of the pending one-shot tasks. */
    public synchronized List<Duration> pendingOneShotDelays() {
        return tasks.stream().filter(t -> t.period == null).map(t -> Duration.between(now, t.due)).toList();
    }

    private static final class Task {
        Instant due;
        final Duration period;
        final Runnable action;
        final long sequence;

        Task(Instant due, Duration period, Runnable action, long sequence) {
            this.due = due;
            this.period = period;
            this.action = action;
            this.sequence = sequence;
        }
    }
}
