package dk.sdu.cloud.im.harness.jobs;

import java.time.Duration;

/** Runs a task after a delay: how the driver waits before it tries a failed operation again. */
@FunctionalInterface
public interface RetryTimer {
    /** Runs {@code task} once, about {@code delay} from now, on a thread of the timer's own. */
    void after(Duration delay, Runnable task);
}
