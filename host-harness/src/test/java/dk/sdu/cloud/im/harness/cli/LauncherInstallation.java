package dk.sdu.cloud.im.harness.cli;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * An installation for the launcher's tests: bin/ucloud-im as in the distribution, and in lib/ a stand-in
 * {@code ImCommand} compiled from the source a test gives, so that the launcher runs for real in a second.
 */
final class LauncherInstallation {
    private static final Path LAUNCHER = Path.of("src/dist/bin/ucloud-im");
    private static final String STAND_IN = "dk/sdu/cloud/im/harness/cli/ImCommand";

    private LauncherInstallation() {
    }

    /** Makes the installation in {@code temp}/ucloud-im and returns its folder. */
    static Path create(Path temp, String standInSource) throws IOException {
        Path home = temp.resolve("ucloud-im");
        Files.createDirectories(home.resolve("bin"));
        Files.copy(LAUNCHER, home.resolve("bin/ucloud-im"));
        if (!home.resolve("bin/ucloud-im").toFile().setExecutable(true)) {
            throw new IOException("cannot make " + home.resolve("bin/ucloud-im") + " executable");
        }
        Path sources = Files.createDirectories(temp.resolve("src/dk/sdu/cloud/im/harness/cli"));
        Files.writeString(sources.resolve("ImCommand.java"), standInSource);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, "-nowarn", "-d", classes.toString(),
                sources.resolve("ImCommand.java").toString()) != 0) {
            throw new IllegalStateException("the stand-in ImCommand does not compile");
        }
        Files.createDirectories(home.resolve("lib"));
        try (OutputStream file = Files.newOutputStream(home.resolve("lib/host.jar"));
             JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry(STAND_IN + ".class"));
            jar.write(Files.readAllBytes(classes.resolve(STAND_IN + ".class")));
            jar.closeEntry();
        }
        return home;
    }

    /** The names of the files in {@code folder}, sorted; none when it does not exist. */
    static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
