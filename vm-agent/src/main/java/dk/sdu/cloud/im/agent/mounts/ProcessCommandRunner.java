package dk.sdu.cloud.im.agent.mounts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands as processes; keeps the first {@value #MAX_STDERR_BYTES} bytes of stderr, drops stdout. */
public final class ProcessCommandRunner implements CommandRunner {
    static final int MAX_STDERR_BYTES = 4096;

    private final Duration timeout;

    public ProcessCommandRunner(Duration timeout) {
        this.timeout = java.util.Objects.requireNonNull(timeout, "timeout is null");
    }

    @Override
    public CommandResult run(List<String> command) throws IOException {
        var process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            var stderr = readBounded(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new CommandResult(-1, command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(process.exitValue(), stderr);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    // Reads to the end (so the process never blocks on a full pipe) but keeps only the beginning.
    private static String readBounded(InputStream in) throws IOException {
        var kept = new ByteArrayOutputStream();
        var buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            var room = MAX_STDERR_BYTES - kept.size();
            if (room > 0) {
                kept.write(buffer, 0, Math.min(room, n));
            }
        }
        return kept.toString(StandardCharsets.UTF_8);
    }
}
