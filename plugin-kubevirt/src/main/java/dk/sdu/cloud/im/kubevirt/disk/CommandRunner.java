package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Runs an external program without a shell: arguments as a list, stdin closed, stdout handed on piece by
 * piece (split at {@code \r} and {@code \n}, since progress meters use {@code \r}) and kept up to a bound,
 * stderr's tail kept for the error message, a timeout after which the program and its children are killed.
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    /** How much of stdout is kept for the caller (qemu-img's JSON is a few KiB). */
    static final int STDOUT_LIMIT = 1 << 20;
    /** How much of the end of stderr is kept for error messages. */
    static final int STDERR_TAIL = 2048;

    /** What a successful run printed. */
    record Result(String stdout, String stderrTail) {
    }

    /**
     * Runs {@code command} and waits for it.
     *
     * @param command   program and arguments
     * @param timeout   how long it may run before it is killed
     * @param stdoutLine receives each piece of stdout as it arrives, on a reader thread
     * @throws CommandFailedException when it cannot start, exits non-zero or times out
     * @throws InterruptedIOException when the calling thread is interrupted; the program is killed first
     */
    Result run(List<String> command, Duration timeout, Consumer<String> stdoutLine) throws IOException {
        requireNonNull(command, "command is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(stdoutLine, "stdoutLine is null");
        String shown = String.join(" ", command);
        ProcessBuilder builder = new ProcessBuilder(command);
        // Messages in English and numbers with a decimal point, whatever the IM's locale.
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(command, "cannot run '" + shown + "': " + e.getMessage(), e);
        }
        log.debug("Started (pid {}): {}", process.pid(), shown);
        process.getOutputStream().close();

        StdoutReader stdout = new StdoutReader(process.getInputStream(), stdoutLine);
        TailReader stderr = new TailReader(process.getErrorStream());
        Thread stdoutThread = start(stdout, "cmd-stdout-" + process.pid());
        Thread stderrThread = start(stderr, "cmd-stderr-" + process.pid());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                joinQuietly(stdoutThread, stderrThread);
                throw new CommandFailedException(command, "'" + shown + "' did not finish within " + timeout
                        + " and was killed" + tailSuffix(stderr.tail()), null);
            }
            stdoutThread.join();
            stderrThread.join();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while running '" + shown
                    + "'; it was killed");
            interrupted.initCause(e);
            throw interrupted;
        }
        if (stdout.failure != null) {
            throw new CommandFailedException(command, "reading the output of '" + shown + "' failed: "
                    + stdout.failure.getMessage(), stdout.failure);
        }
        int exit = process.exitValue();
        if (exit != 0) {
            throw new CommandFailedException(command, "'" + shown + "' exited with status " + exit
                    + tailSuffix(stderr.tail()), null);
        }
        return new Result(stdout.kept(), stderr.tail());
    }

    private static String tailSuffix(String tail) {
        return tail.isBlank() ? "" : ": " + tail.strip();
    }

    private static Thread start(Runnable reader, String name) {
        Thread thread = new Thread(reader, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            // Bounded: a killed process is reaped at once unless it is stuck in the kernel (e.g. a hung NFS).
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                log.warn("Process {} did not exit after being killed", process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread... threads) {
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Splits stdout at line and carriage-return ends, keeps the start of it, and forwards each piece. */
    private static final class StdoutReader implements Runnable {
        private final InputStream in;
        private final Consumer<String> sink;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile IOException failure;

        StdoutReader(InputStream in, Consumer<String> sink) {
            this.in = in;
            this.sink = sink;
        }

        @Override
        public void run() {
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (kept.size() < STDOUT_LIMIT) {
                        kept.write(buffer, 0, Math.min(n, STDOUT_LIMIT - kept.size()));
                    }
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (b == '\n' || b == '\r') {
                            forward(piece);
                        } else if (piece.size() < STDERR_TAIL) {
                            piece.write(b);
                        }
                    }
                }
                forward(piece);
            } catch (IOException e) {
                failure = e;
            }
        }

        private void forward(ByteArrayOutputStream piece) {
            if (piece.size() > 0) {
                String text = piece.toString(StandardCharsets.UTF_8);
                piece.reset();
                try {
                    sink.accept(text);
                } catch (RuntimeException e) {
                    log.warn("Output handler failed on '{}'", text, e);
                }
            }
        }

        String kept() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }

    /** Keeps the last {@link #STDERR_TAIL} bytes of a stream. */
    private static final class TailReader implements Runnable {
        private final InputStream in;
        private final byte[] ring = new byte[STDERR_TAIL];
        private long total;

        TailReader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % STDERR_TAIL)] = buffer[i];
                        }
                    }
                }
            } catch (IOException e) {
                log.debug("Reading stderr stopped", e);
            }
        }

        synchronized String tail() {
            int length = (int) Math.min(total, STDERR_TAIL);
            byte[] out = new byte[length];
            long start = total - length;
            for (int i = 0; i < length; i++) {
                out[i] = ring[(int) ((start + i) % STDERR_TAIL)];
            }
            return new String(out, StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' ');
        }
    }
}
