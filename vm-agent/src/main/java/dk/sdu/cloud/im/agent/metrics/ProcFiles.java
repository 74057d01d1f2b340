package dk.sdu.cloud.im.agent.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the small text files the samples come from ({@code /proc/stat}, {@code /etc/os-release}, ...). A seam for tests. */
@FunctionalInterface
public interface ProcFiles {

    /** The whole file named by its absolute path. */
    String read(String absolutePath) throws IOException;

    /** This machine's files. */
    static ProcFiles system() {
        return path -> Files.readString(Path.of(path));
    }
}
