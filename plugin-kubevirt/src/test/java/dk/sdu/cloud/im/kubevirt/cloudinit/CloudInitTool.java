package dk.sdu.cloud.im.kubevirt.cloudinit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code cloud-init} command (Debian package {@code cloud-init}; 22.4 on Debian 12), found on the
 * PATH, and the Python that runs it (its {@code yaml} module is PyYAML, the parser cloud-init reads user
 * data with).
 */
final class CloudInitTool {
    /** What a run printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    private final Path cloudInit;

    private CloudInitTool(Path cloudInit) {
        this.cloudInit = cloudInit;
    }

    /** The installed tool, or a test failure that says how to install it. */
    static CloudInitTool installed() {
        Optional<Path> found = onPath("cloud-init");
        if (found.isEmpty()) {
            fail("The cloud-init command is not installed, so generated cloud-init documents cannot be checked "
                    + "with 'cloud-init schema'. Install Debian's package: apt-get update && "
                    + "apt-get install -y cloud-init");
        }
        return new CloudInitTool(found.get());
    }

    /** {@code cloud-init --version}. */
    String version() {
        return run(List.of(cloudInit.toString(), "--version")).output().trim();
    }

    /** {@code cloud-init schema --config-file <file>} on the given user data. */
    Result schema(String userData, Path directory) {
        Path file = write(directory, "user-data", userData);
        return run(List.of(cloudInit.toString(), "schema", "--config-file", file.toString()));
    }

    /** The user data as PyYAML reads it, printed back as JSON. */
    Result pyYamlAsJson(String document, Path directory) {
        Path file = write(directory, "document.yaml", document);
        String python = interpreter();
        return run(List.of(python, "-c", "import json, sys, yaml\n"
                + "with open(sys.argv[1], encoding='utf-8') as f:\n"
                + "    docs = list(yaml.safe_load_all(f))\n"
                + "print(json.dumps(docs))\n", file.toString()));
    }

    /** The interpreter named on the cloud-init script's first line (the one that has its modules). */
    private String interpreter() {
        try {
            String first = Files.readAllLines(cloudInit, StandardCharsets.UTF_8).get(0);
            if (first.startsWith("#!")) {
                return first.substring(2).trim().split("\\s+")[0];
            }
        } catch (IOException | RuntimeException e) {
            // fall back to python3 on the PATH
        }
        return "python3";
    }

    private static Path write(Path directory, String name, String content) {
        try {
            return Files.writeString(directory.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
