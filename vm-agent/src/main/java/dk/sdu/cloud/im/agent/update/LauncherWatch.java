package dk.sdu.cloud.im.agent.update;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.time.Scheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a new agent: every {@value #PERIOD_SECONDS} s it compares the launcher file with what it was when the
 * agent started, and on a change exits with {@value #EXIT_UPDATED} so that systemd starts the new one.
 */
public final class LauncherWatch {
    public static final int EXIT_UPDATED = 75;
    static final long PERIOD_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(LauncherWatch.class);

    private final Path launcher;
    private final Scheduler scheduler;
    private final IntConsumer exit;
    private LauncherFingerprint atStart;

    public LauncherWatch(Path launcher, Scheduler scheduler, IntConsumer exit) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.exit = requireNonNull(exit, "exit is null");
    }

    public Scheduler.Cancellable start() throws IOException {
        atStart = LauncherFingerprint.of(launcher);
        return scheduler.scheduleRepeating(Duration.ofSeconds(PERIOD_SECONDS), this::check);
    }

    private void check() {
        LauncherFingerprint now;
        try {
            now = LauncherFingerprint.of(launcher);
        } catch (IOException e) {
            // Mid-replacement reads can fail; the next check sees the finished file.
            LOG.debug("cannot read {}: {}", launcher, e.toString());
            return;
        }
        if (!now.equals(atStart)) {
            LOG.info("{} changed since this agent started; exiting with {} so the new agent starts", launcher, EXIT_UPDATED);
            exit.accept(EXIT_UPDATED);
        }
    }
}
