package dk.sdu.cloud.im.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The agent of one simulated guest, supervised as the guest's systemd would: started when its launcher
 * exists (until then looked for every {@link GuestSettings#restartDelay()}, as a path unit waits for it),
 * started again {@link GuestSettings#restartDelay()} after it exits on its own ({@code Restart=always}) up
 * to {@link GuestSettings#restartLimit()} times within {@link GuestSettings#restartWindow()}, and ended with
 * SIGTERM, then SIGKILL after {@link GuestSettings#stopTimeout()}, together with everything it started.
 * Its output (stdout and stderr) is appended to a log file in the guest root.
 */
final class GuestAgent {

    private static final Logger log = LoggerFactory.getLogger(GuestAgent.class);

    /** What happened to an agent, for the simulator's listeners. */
    enum Change { STARTED, LAUNCHER_MISSING, EXITED, GAVE_UP, STOPPED }

    private final String name;
    private final GuestRoot root;
    private final GuestSettings settings;
    private final ScheduledExecutorService timer;
    private final Consumer<Change> changes;
    private final LongSupplier nanoTime;
    private final Deque<Long> restarts = new ArrayDeque<>();
    private Process process;
    private ScheduledFuture<?> pending;
    private boolean launcherMissingSaid;
    private boolean stopped;

    GuestAgent(String name, GuestRoot root, GuestSettings settings, ScheduledExecutorService timer,
               Consumer<Change> changes, LongSupplier nanoTime) {
        this.name = requireNonNull(name, "name is null");
        this.root = requireNonNull(root, "root is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** Starts the agent, or waits for its launcher. */
    synchronized void start() {
        if (stopped || process != null) {
            return;
        }
        Path launcher = settings.agentLauncher();
        if (!Files.isRegularFile(launcher) || !Files.isExecutable(launcher)) {
            if (!launcherMissingSaid) {
                launcherMissingSaid = true;
                log.warn("simulated guest {}: no agent launcher at {} (the plugin installs the agent bundle in the "
                        + "provider's executables folder); the guest runs without its agent until it is there", name,
                        launcher);
                changes.accept(Change.LAUNCHER_MISSING);
            }
            schedule();
            return;
        }
        List<String> command = List.of(launcher.toString(), "--simulated-guest", root.path().toString());
        try {
            process = new ProcessBuilder(command)
                    .directory(root.path().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.agentLog().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            log.warn("simulated guest {}: cannot start the agent {}: {}", name, launcher, e.toString());
            exited(null, -1);
            return;
        }
        Process started = process;
        log.info("simulated guest {}: agent started (pid {}): {} --simulated-guest {}; log {}", name, started.pid(),
                launcher, root.path(), root.agentLog());
        changes.accept(Change.STARTED);
        started.onExit().thenAccept(ended -> exited(ended, ended.exitValue()));
    }

    private synchronized void exited(Process ended, int status) {
        if (stopped || ended != process) {
            return;
        }
        process = null;
        changes.accept(Change.EXITED);
        long now = nanoTime.getAsLong();
        long window = settings.restartWindow().toNanos();
        while (!restarts.isEmpty() && now - restarts.peekFirst() > window) {
            restarts.removeFirst();
        }
        if (restarts.size() >= settings.restartLimit()) {
            log.warn("simulated guest {}: the agent exited (status {}) {} times within {}; not restarting it again",
                    name, status, restarts.size() + 1, settings.restartWindow());
            changes.accept(Change.GAVE_UP);
            return;
        }
        restarts.addLast(now);
        log.info("simulated guest {}: the agent exited with status {}; restarting it in {} ms ({} of {} restarts "
                + "within {})", name, status, settings.restartDelay().toMillis(), restarts.size(),
                settings.restartLimit(), settings.restartWindow());
        schedule();
    }

    private void schedule() {
        try {
            pending = timer.schedule(this::start, settings.restartDelay().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("simulated guest {}: the simulator is closing; the agent is not started again", name);
        }
    }

    /** Whether the agent process runs now. */
    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** The agent's process, while there is one. */
    synchronized ProcessHandle handle() {
        return process == null ? null : process.toHandle();
    }

    /** Ends the agent and everything it started; it is not started again. */
    void stop() {
        Process running;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (pending != null) {
                pending.cancel(false);
            }
            running = process;
            process = null;
        }
        if (running != null) {
            ProcessTrees.terminate(running.toHandle(), settings.stopTimeout());
            log.info("simulated guest {}: agent stopped (pid {})", name, running.pid());
            changes.accept(Change.STOPPED);
        }
    }
}
