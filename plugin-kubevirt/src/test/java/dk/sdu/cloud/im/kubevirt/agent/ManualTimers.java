package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.kubevirt.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An {@link AgentScheduler} whose tasks run only when the test moves its clock: {@link #advance} steps from
 * one due task to the next, setting the clock to each one's time before it runs, on the test's thread.
 */
final class ManualTimers implements AgentScheduler {
    private final MutableClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private long sequence;

    ManualTimers(MutableClock clock) {
        this.clock = clock;
    }

    private record Task(Instant due, long order, Runnable task) {
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Lets the time pass, running each task when its time comes. */
    void advance(Duration duration) {
        Instant end = clock.instant().plus(duration);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.due().isAfter(end))
                        .min(Comparator.comparing(Task::due).thenComparing(Task::order)).orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            if (next.due().isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), next.due()));
            }
            next.task().run();
        }
        if (end.isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), end));
        }
    }

    synchronized int pending() {
        return tasks.size();
    }
}
