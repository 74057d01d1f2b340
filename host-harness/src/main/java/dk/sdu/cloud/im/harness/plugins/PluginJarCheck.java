package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.plugins.PluginJarReport.CheckedExtension;
import dk.sdu.cloud.im.spi.SpiVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Checks a plugin jar before it is installed ({@code ucloud-im plugins check}): reads its descriptor, SPI
 * version, extension index and bundled platform classes, then loads it alone, from a copy in a directory of
 * its own, exactly as {@link PluginLoader} loads a plugins directory, to tell whether this host would load
 * it and what its extensions are. Loading starts the plugin (PF4J's {@code Plugin.start()}, if it has a
 * plugin class) but creates no extension. Conflicts with other plugins (a shared id or storage type) are not
 * checked: the jar is loaded alone.
 */
public final class PluginJarCheck {
    /** The PF4J descriptor keys reported, in this order. */
    static final List<String> DESCRIPTOR_KEYS = List.of(
            "Plugin-Id", "Plugin-Version", "Plugin-Class", "Plugin-Requires", "Plugin-Provider", "Plugin-Description");
    /** Where PF4J's annotation processor lists a jar's extensions, and PF4J finds them. */
    static final String EXTENSION_INDEX = "META-INF/extensions.idx";

    private final String systemVersion;
    private final Path workDirectory;

    /**
     * @param systemVersion the host's version as plugins' {@code Plugin-Requires} see it, e.g. {@code 0.1.0}
     * @param workDirectory an existing directory where each jar gets a directory of its own while it is loaded
     */
    public PluginJarCheck(String systemVersion, Path workDirectory) {
        this.systemVersion = requireNonNull(systemVersion, "systemVersion is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
    }

    /** Checks one jar; every finding is in the report, nothing is thrown for a bad jar. */
    public PluginJarReport check(Path jar) {
        requireNonNull(jar, "jar is null");
        String hostSpi = SpiVersion.current();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String name = jar.getFileName().toString();
        if (!Files.isRegularFile(jar)) {
            problems.add(name + ": no such file");
            return new PluginJarReport(jar, Map.of(), Optional.empty(), hostSpi, Optional.empty(), List.of(),
                    BundledPlatformClasses.NONE, problems, warnings);
        }
        Map<String, String> descriptor;
        Optional<List<String>> index;
        PluginJarContents contents;
        try {
            try (JarFile file = new JarFile(jar.toFile())) {
                descriptor = descriptorOf(file.getManifest());
                index = indexOf(file);
            }
            contents = PluginJarContents.read(jar, PluginJarCheck.class.getClassLoader());
        } catch (IOException e) {
            problems.add(name + ": cannot be read as a jar: " + Reasons.of(e));
            return new PluginJarReport(jar, Map.of(), Optional.empty(), hostSpi, Optional.empty(), List.of(),
                    BundledPlatformClasses.NONE, problems, warnings);
        }

        List<CheckedExtension> extensions = load(jar, problems, warnings);

        if (contents.spiVersion().isEmpty()) {
            warnings.add(name + ": its manifest has no " + SpiVersion.MANIFEST_ATTRIBUTE + ", so whether it fits "
                    + "this host's SPI " + hostSpi + " cannot be checked (the host loads it with a warning); build it "
                    + "with im-plugin-parent, or record the im-spi version it compiles against");
        }
        if (index.isEmpty()) {
            problems.add(name + ": no " + EXTENSION_INDEX + ", so the host finds no extension in it (PF4J's annotation "
                    + "processor did not run: name org.pf4j.processor.ExtensionAnnotationProcessor in the compiler's "
                    + "configuration, as im-plugin-parent does)");
        } else if (index.get().isEmpty()) {
            problems.add(name + ": " + EXTENSION_INDEX + " lists no extension, so the plugin offers nothing (annotate "
                    + "the extension class with org.pf4j.@Extension)");
        }
        if (contents.bundled().any()) {
            problems.add(name + ": " + contents.bundled().describe() + " (the host loads such a jar with a warning, "
                    + "or refuses it with harness.plugins.bundledPlatformClasses: refuse)");
        }
        return new PluginJarReport(jar, descriptor, contents.spiVersion(), hostSpi, index, extensions,
                contents.bundled(), problems, warnings);
    }

    /** Loads the jar alone as the host would; its problems, or its extensions. */
    private List<CheckedExtension> load(Path jar, List<String> problems, List<String> warnings) {
        Path directory;
        try {
            directory = Files.createTempDirectory(workDirectory, "plugins-check-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory in " + workDirectory + " to load the jar from", e);
        }
        try {
            Files.copy(jar, directory.resolve(jar.getFileName()));
            List<CheckedExtension> extensions = new ArrayList<>();
            try (InstalledPlugins plugins = PluginLoader.load(directory, systemVersion)) {
                for (ExtensionInfo extension : plugins.extensions()) {
                    List<String> points = extension.kinds().stream().sorted().map(ExtensionKind::displayName).toList();
                    if (points.isEmpty()) {
                        warnings.add(jar.getFileName() + ": extension " + extension.className()
                                + " implements no extension point of this host, so the host does not use it");
                    }
                    extensions.add(new CheckedExtension(extension.className(), points, extension.storageType()));
                }
            } catch (PluginLoadException e) {
                problems.addAll(e.problems());
            }
            return extensions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar + " to " + directory, e);
        } finally {
            deleteTree(directory);
        }
    }

    private static Map<String, String> descriptorOf(Manifest manifest) {
        Map<String, String> descriptor = new LinkedHashMap<>();
        Attributes attributes = manifest == null ? new Attributes() : manifest.getMainAttributes();
        for (String key : DESCRIPTOR_KEYS) {
            String value = attributes.getValue(key);
            if (value != null && !value.isBlank()) {
                descriptor.put(key, value.strip());
            }
        }
        return descriptor;
    }

    private static Optional<List<String>> indexOf(JarFile file) throws IOException {
        JarEntry entry = file.getJarEntry(EXTENSION_INDEX);
        if (entry == null) {
            return Optional.empty();
        }
        String text = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        // PF4J's own reading of the index: one class name a line, '#' starts a comment line.
        return Optional.of(text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
