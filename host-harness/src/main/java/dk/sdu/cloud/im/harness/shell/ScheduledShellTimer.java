package dk.sdu.cloud.im.harness.shell;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/** A {@link ShellTimer} on one daemon thread. Tasks still waiting when it is closed are dropped. */
public final class ScheduledShellTimer implements ShellTimer, AutoCloseable {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "shell-timer");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public void after(Duration delay, Runnable task) {
        requireNonNull(delay, "delay is null");
        requireNonNull(task, "task is null");
        try {
            executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: the IM is stopping and its connections are being closed anyway.
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
