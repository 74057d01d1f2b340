package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.harness.time.DelayTimer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link DelayTimer} that only notes what it was asked; the test runs the tasks when it wants. */
public final class ManualDelayTimer implements DelayTimer {
    private final List<Duration> delays = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();

    @Override
    public synchronized void after(Duration delay, Runnable task) {
        delays.add(delay);
        tasks.add(task);
    }

    /** Every delay asked for so far, in order. */
    public synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }

    /** Runs the tasks waiting so far, as if their time had come. */
    public void fire() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(tasks);
            tasks.clear();
        }
        due.forEach(Runnable::run);
    }
}
