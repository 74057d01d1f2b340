package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.PluginJarBuilder;
import dk.sdu.cloud.im.spi.SpiVersion;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar rule of the platform: every built plugin jar carries a PF4J descriptor and an extension index,
 * and no class of a platform package (which the host provides; a copy in a plugin would be a second,
 * incompatible class).
 */
class PluginJarContentTest {

    /** What is wrong with a plugin jar; empty when nothing. */
    static List<String> problemsOf(Path jar) {
        List<String> problems = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            Attributes attributes = manifest == null ? new Attributes() : manifest.getMainAttributes();
            for (String name : List.of("Plugin-Id", "Plugin-Version", "Plugin-Requires", SpiVersion.MANIFEST_ATTRIBUTE)) {
                String value = attributes.getValue(name);
                if (value == null || value.isBlank()) {
                    problems.add("no " + name + " in META-INF/MANIFEST.MF");
                }
            }
            JarEntry index = file.getJarEntry("META-INF/extensions.idx");
            if (index == null) {
                problems.add("no META-INF/extensions.idx (PF4J's annotation processor did not run)");
            } else {
                String content = new String(file.getInputStream(index).readAllBytes(), StandardCharsets.UTF_8);
                if (content.lines().noneMatch(line -> !line.isBlank() && !line.startsWith("#"))) {
                    problems.add("META-INF/extensions.idx lists no extension");
                }
            }
            for (JarEntry entry : Collections.list(file.entries())) {
                if (PlatformPackages.isPlatformClassEntry(entry.getName())) {
                    problems.add("bundles the platform class " + entry.getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
        return problems;
    }

    @Test
    void everyBuiltPluginJarHasADescriptorAnIndexAndNoPlatformClass() {
        List<Path> jars = BuiltPlugins.jars();
        assertThat(jars).isNotEmpty();
        for (Path jar : jars) {
            assertThat(problemsOf(jar)).as(jar.getFileName().toString()).isEmpty();
        }
    }

    @Test
    void everyBuiltPluginJarRecordsTheSpiItWasBuiltAgainst() throws IOException {
        for (Path jar : BuiltPlugins.jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE))
                        .as(jar.getFileName().toString()).isEqualTo(SpiVersion.current());
            }
        }
    }

    @Test
    void theCheckCatchesABundledPlatformClassAndAMissingIndexAndDescriptor(@TempDir Path temp) {
        Path careless = PluginJarBuilder.withoutDescriptor().bundle(VmDiskStorage.class)
                .entry("README", "x").build(temp.resolve("careless.jar"));

        assertThat(problemsOf(careless)).containsExactly(
                "no Plugin-Id in META-INF/MANIFEST.MF",
                "no Plugin-Version in META-INF/MANIFEST.MF",
                "no Plugin-Requires in META-INF/MANIFEST.MF",
                "no Plugin-Spi-Version in META-INF/MANIFEST.MF",
                "no META-INF/extensions.idx (PF4J's annotation processor did not run)",
                "bundles the platform class dk/sdu/cloud/im/spi/storage/VmDiskStorage.class");
    }

    @Test
    void everyPlatformPackageCounts() {
        assertThat(PlatformPackages.PACKAGES).allSatisfy(p ->
                assertThat(PlatformPackages.isPlatformClassEntry(p.replace('.', '/') + "/Some.class")).isTrue());
        assertThat(PlatformPackages.isPlatformClassEntry("org/example/Some.class")).isFalse();
        assertThat(PlatformPackages.isPlatformClassEntry("io/fabric8plus/Some.class")).isFalse();
        assertThat(PlatformPackages.isPlatformClassEntry("org/pf4j/readme.txt")).isFalse();
    }
}
