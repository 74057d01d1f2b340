package dk.sdu.cloud.im.testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl (Debian's {@code kubernetes-client}, which {@code scripts/prerequisites} installs) run with
 * a kubeconfig, its discovery cache in a folder of the test's own.
 */
public final class Kubectl {
    public static final Path BINARY = Path.of("/usr/bin/kubectl");

    /** What a run printed. */
    public record Result(int status, String out, String err) {
    }

    private final Path kubeconfig;
    private final Path cache;

    public Kubectl(Path kubeconfig, Path cache) {
        this.kubeconfig = kubeconfig;
        this.cache = cache;
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: these tests run the real kubectl. Install it with scripts/prerequisites "
                    + "(Debian/Ubuntu: sudo apt-get install kubernetes-client)");
        }
    }

    /** Runs kubectl to its end (at most a minute). */
    public Result run(String... arguments) {
        Process process = start(arguments);
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(process.getErrorStream(), err), "kubectl-stderr");
            errReader.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", arguments) + " did not end within a minute");
            }
            errReader.join();
            return new Result(process.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs kubectl and fails the test unless it exits 0; returns its output. */
    public String ok(String... arguments) {
        Result result = run(arguments);
        if (result.status() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", arguments) + " exited " + result.status() + ": " + result.err());
        }
        return result.out();
    }

    /** Starts kubectl (for a watch); the caller ends it. */
    public Process start(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.add("--cache-dir=" + cache);
        command.add("--request-timeout=30s");
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("HOME", cache.toString());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // the process ended
        }
    }
}
