package dk.sdu.cloud.im.harness.time;

import java.time.Duration;

/**
 * Runs a task after a delay: how the job driver waits before it tries a failed operation again, and how a shell
 * connection that never initialises is ended. Tests give one that runs the tasks when they say.
 */
@FunctionalInterface
public interface DelayTimer {
    /** Runs {@code task} once, about {@code delay} from now, on a thread of the timer's own. */
    void after(Duration delay, Runnable task);
}
