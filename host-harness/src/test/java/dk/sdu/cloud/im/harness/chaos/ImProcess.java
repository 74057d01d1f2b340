package dk.sdu.cloud.im.harness.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The installed IM ({@code bin/ucloud-im serve}) as a child process: started, killed with SIGKILL, stopped with
 * SIGTERM. The launcher {@code exec}s Java, so the child is the IM's JVM itself. Each start logs to its own file,
 * {@code im-<n>.log}.
 */
final class ImProcess {
    private final Path launcher;
    private final Path config;
    private final Path logDirectory;
    private final String javaOptions;
    private final Duration startTimeout;
    private Process process;
    private int starts;

    ImProcess(Path launcher, Path config, Path logDirectory, String javaOptions, Duration startTimeout) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.config = requireNonNull(config, "config is null");
        this.logDirectory = requireNonNull(logDirectory, "logDirectory is null");
        this.javaOptions = requireNonNull(javaOptions, "javaOptions is null");
        this.startTimeout = requireNonNull(startTimeout, "startTimeout is null");
    }

    /** Why an IM did not come up. */
    static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message);
        }
    }

    /**
     * Starts the IM, waits for its ready line (which names the port it bound, {@link ServingLine}), then until
     * {@code ready} says the IM at that URL serves.
     *
     * @return the URL the IM serves at
     * @throws StartFailure when it ends or does not serve within the start timeout (the message has its log's tail)
     */
    synchronized URI start(Predicate<URI> ready) throws StartFailure {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the IM is already running");
        }
        starts++;
        Path log = log(starts);
        ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString(), "serve", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_OPTS", javaOptions);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new StartFailure("cannot run " + launcher + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new StartFailure("the IM ended with status " + process.exitValue() + " while starting ("
                        + log.getFileName() + "):\n" + tail(log));
            }
            Optional<URI> url = ServingLine.in(read(log));
            if (url.isPresent() && ready.test(url.get())) {
                return url.get();
            }
            pause(200);
        }
        process.destroyForcibly();
        throw new StartFailure("the IM did not serve within " + startTimeout.toSeconds() + " s (" + log.getFileName()
                + "):\n" + tail(log));
    }

    /** The process id of the running IM. */
    synchronized long pid() {
        return process.pid();
    }

    /** {@code kill -9}: SIGKILL, then waits for the process to be gone. */
    synchronized void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (the IM's orderly shutdown), then SIGKILL if it is not gone within a minute. */
    synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(Duration.ofSeconds(60))) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** Kills the IM without waiting (the chaos program itself is ending). */
    void killNow() {
        Process current;
        synchronized (this) {
            current = process;
        }
        if (current != null) {
            current.destroyForcibly();
        }
    }

    synchronized int starts() {
        return starts;
    }

    private Path log(int start) {
        return logDirectory.resolve("im-" + start + ".log");
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) {
        List<String> lines = read(log).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String read(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
