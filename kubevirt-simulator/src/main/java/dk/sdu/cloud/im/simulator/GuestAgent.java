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
 * A program of one simulated guest's agent bundle (the agent itself, or its metrics service, {@code vmagent
 * metrics}), supervised as the guest's systemd would: started when its launcher
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
    private final String what;
    private final List<String> arguments;
    private final Path output;
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

    /**
     * @param what      what the program is, for the log ("agent", "metrics service")
     * @param arguments the launcher's arguments
     * @param output    the file its output (stdout and stderr) is appended to
     */
    GuestAgent(String name, String what, List<String> arguments, Path output, GuestRoot root, GuestSettings settings,
               ScheduledExecutorService timer, Consumer<Change> changes, LongSupplier nanoTime) {
        this.name = requireNonNull(name, "name is null");
        this.what = requireNonNull(what, "what is null");
        this.arguments = List.copyOf(arguments);
        this.output = requireNonNull(output, "output is null");
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
                        + "provider's executables folder); the guest runs without its {} until it is there", name,
                        launcher, what);
                changes.accept(Change.LAUNCHER_MISSING);
            }
            schedule();
            return;
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(launcher.toString());
        command.addAll(arguments);
        try {
            process = new ProcessBuilder(command)
                    .directory(root.path().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            log.warn("simulated guest {}: cannot start the {} {}: {}", name, what, launcher, e.toString());
            exited(null, -1);
            return;
        }
        Process started = process;
        log.info("simulated guest {}: {} started (pid {}): {}; log {}", name, what, started.pid(),
                String.join(" ", command), output);
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
            log.warn("simulated guest {}: the {} exited (status {}) {} times within {}; not restarting it again",
                    name, what, status, restarts.size() + 1, settings.restartWindow());
            changes.accept(Change.GAVE_UP);
            return;
        }
        restarts.addLast(now);
        log.info("simulated guest {}: the {} exited with status {}; restarting it in {} ms ({} of {} restarts "
                + "within {})", name, what, status, settings.restartDelay().toMillis(), restarts.size(),
                settings.restartLimit(), settings.restartWindow());
        schedule();
    }

    private void schedule() {
        try {
            pending = timer.schedule(this::start, settings.restartDelay().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("simulated guest {}: the simulator is closing; the {} is not started again", name, what);
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
            log.info("simulated guest {}: {} stopped (pid {})", name, what, running.pid());
            changes.accept(Change.STOPPED);
        }
    }
}
