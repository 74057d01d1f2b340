package dk.sdu.cloud.im.harness.shell;

import java.time.Duration;

/** Runs a task after a delay: how a shell connection that never initialises is ended. */
@FunctionalInterface
public interface ShellTimer {
    /** Runs {@code task} once, about {@code delay} from now, on a thread of the timer's own. */
    void after(Duration delay, Runnable task);
}
