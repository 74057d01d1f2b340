package dk.sdu.cloud.im.kubevirt.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Files of the shared folder beside the repository, reached from the module directory. */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** {@code ../../shared/<relative>}, or a test failure saying where it was looked for. */
    public static Path path(String relative) {
        Path path = Path.of("..", "..", "shared").resolve(relative);
        if (!Files.isRegularFile(path)) {
            fail("Missing shared file " + path.toAbsolutePath().normalize() + ": the tests read ../../shared/"
                    + relative + " relative to the module directory (the shared folder beside the repository).");
        }
        return path;
    }
}
