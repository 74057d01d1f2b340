package dk.sdu.cloud.im.harness.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static java.util.Objects.requireNonNull;

/**
 * Makes a changed copy of a built plugin jar (an entry left out, entries added, a manifest attribute set), to
 * get the broken jars a vendor might ship without committing any jar.
 */
public final class JarRewriter {
    private final Path source;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final Map<String, byte[]> added = new LinkedHashMap<>();
    private Predicate<String> dropped = name -> false;

    private JarRewriter(Path source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** A copy of {@code jar}, changed by the calls that follow. */
    public static JarRewriter copyOf(Path jar) {
        return new JarRewriter(jar);
    }

    /** Leaves out the entries whose names pass {@code names}. */
    public JarRewriter without(Predicate<String> names) {
        dropped = dropped.or(names);
        return this;
    }

    /** Adds (or replaces) an entry. */
    public JarRewriter with(String name, byte[] content) {
        added.put(name, content.clone());
        return this;
    }

    /** Sets a main attribute of the manifest. */
    public JarRewriter manifest(String name, String value) {
        attributes.put(name, value);
        return this;
    }

    /** Writes the copy. */
    public Path writeTo(Path target) {
        try (JarFile in = new JarFile(source.toFile())) {
            Manifest manifest = new Manifest(requireNonNull(in.getManifest(), "the jar has no manifest"));
            attributes.forEach((name, value) -> manifest.getMainAttributes().put(new Attributes.Name(name), value));
            try (OutputStream file = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry : Collections.list(in.entries())) {
                    String name = entry.getName();
                    if (name.equals(JarFile.MANIFEST_NAME) || dropped.test(name) || added.containsKey(name)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    out.write(in.getInputStream(entry).readAllBytes());
                    out.closeEntry();
                }
                for (Map.Entry<String, byte[]> entry : added.entrySet()) {
                    out.putNextEntry(new JarEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
