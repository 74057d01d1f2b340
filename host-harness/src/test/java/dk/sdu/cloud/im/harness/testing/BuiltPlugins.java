package dk.sdu.cloud.im.harness.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin jars Maven built and copied to {@code target/plugins} (process-test-classes). */
public final class BuiltPlugins {
    /** Where Maven copies them; tests run with the module as working directory. */
    public static final Path DIRECTORY = Path.of("target", "plugins");

    private BuiltPlugins() {
    }

    /** The built plugin jars; fails when there are none, since every test of them would be empty. */
    public static List<Path> jars() {
        assertThat(DIRECTORY)
                .as("target/plugins holds the plugin jars; Maven fills it in process-test-classes (run the tests through ./mvnw)")
                .isDirectory();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            assertThat(jars).as("plugin jars in " + DIRECTORY.toAbsolutePath()).isNotEmpty();
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the built plugin jars into a (new or empty) directory and returns it. */
    public static Path copyTo(Path directory) {
        return copyTo(directory, name -> true);
    }

    /** Copies the built storage plugins (HostPath, CsiStaticPv) only, and returns the directory. */
    public static Path copyStoragePluginsTo(Path directory) {
        return copyTo(directory, name -> name.startsWith("im-plugin-storage-"));
    }

    /** Copies the built plugin jars whose file names pass a filter into a (new or empty) directory. */
    public static Path copyTo(Path directory, java.util.function.Predicate<String> fileNames) {
        try {
            Files.createDirectories(directory);
            for (Path jar : jars()) {
                if (fileNames.test(jar.getFileName().toString())) {
                    Files.copy(jar, directory.resolve(jar.getFileName()));
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
