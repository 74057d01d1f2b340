package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.spi.SpiVersion;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import io.fabric8.kubernetes.api.builder.BaseFluent;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.pf4j.ExtensionPoint;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Builds a plugin jar at test time, as a third party would: Java sources compiled with {@code javax.tools}
 * against the platform only (SPI, PF4J, the fabric8 model, {@code jakarta.inject}, Jackson annotations,
 * SLF4J), with PF4J's annotation processor writing {@code META-INF/extensions.idx}, and a PF4J descriptor in
 * the manifest. It can also bundle copies of host classes, or leave the descriptor out, to make broken jars.
 */
public final class PluginJarBuilder {
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();

    private PluginJarBuilder() {
    }

    /**
     * A plugin with this id and version, requiring any host from 0.1.0 on, built against this SPI (as
     * {@code plugin-parent/pom.xml} records it).
     */
    public static PluginJarBuilder plugin(String id, String version) {
        PluginJarBuilder builder = new PluginJarBuilder();
        builder.manifest.put("Plugin-Id", id);
        builder.manifest.put("Plugin-Version", version);
        builder.manifest.put("Plugin-Requires", ">=0.1.0");
        builder.manifest.put(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.current());
        builder.manifest.put("Plugin-Provider", "a third party (test)");
        builder.manifest.put("Plugin-Description", "built at test time");
        return builder;
    }

    /** A jar without any PF4J descriptor. */
    public static PluginJarBuilder withoutDescriptor() {
        return new PluginJarBuilder();
    }

    /** Sets (or, with null, removes) a manifest attribute. */
    public PluginJarBuilder manifest(String name, String value) {
        if (value == null) {
            manifest.remove(name);
        } else {
            manifest.put(name, value);
        }
        return this;
    }

    /** Adds a Java source; {@code className} is the binary name of its top-level class. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Adds a copy of a class of the test's class path (e.g. an SPI class) to the jar. */
    public PluginJarBuilder bundle(Class<?> type) {
        String entry = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
            extraEntries.put(entry, requireNonNull(in, "no class file for " + type).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Adds a file to the jar. */
    public PluginJarBuilder entry(String name, byte[] content) {
        extraEntries.put(name, content.clone());
        return this;
    }

    /** Adds a file to the jar. */
    public PluginJarBuilder entry(String name, String content) {
        extraEntries.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Compiles, packs and writes the jar. */
    public Path build(Path jar) {
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            Path classes = Files.createTempDirectory(jar.toAbsolutePath().getParent(), ".classes-");
            if (!sources.isEmpty()) {
                compile(classes);
            }
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = manifest.isEmpty() ? new JarOutputStream(file) : new JarOutputStream(file, manifest())) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                        put(out, classes.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
                    }
                }
                for (Map.Entry<String, byte[]> entry : extraEntries.entrySet()) {
                    put(out, entry.getKey(), entry.getValue());
                }
            }
            deleteTree(classes);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private Manifest manifest() {
        Manifest result = new Manifest();
        result.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((name, value) -> result.getMainAttributes().put(new Attributes.Name(name), value));
        return result;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private void compile(Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler: the tests need a JDK, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<Path> platform = platformClassPath();
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, platform);
            files.setLocationFromPaths(StandardLocation.ANNOTATION_PROCESSOR_PATH, platform);
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, code) -> units.add(new Source(name, code)));
            List<String> options = List.of("--release", "17",
                    "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor");
            boolean compiled = compiler.getTask(null, files, diagnostics, options, null, units).call();
            if (!compiled) {
                throw new IllegalStateException("the test plugin does not compile:\n" + diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(Object::toString)
                        .collect(Collectors.joining("\n")));
            }
        }
    }

    /** The jars (or class folders) of the platform libraries a plugin compiles against. */
    static List<Path> platformClassPath() {
        List<Class<?>> markers = List.of(
                VmDiskStorage.class,                                  // the SPI
                ExtensionPoint.class,                                 // PF4J, and its annotation processor
                PersistentVolume.class,                               // fabric8 model core
                BaseFluent.class,                                     // fabric8 model common (builders)
                io.fabric8.kubernetes.client.KubernetesClient.class,  // fabric8 client API (KubernetesAccess)
                jakarta.inject.Inject.class,
                com.fasterxml.jackson.annotation.JsonProperty.class,
                org.slf4j.Logger.class);
        return markers.stream().map(PluginJarBuilder::locationOf).distinct().toList();
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
