package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.plugins.PluginJarReport.CheckedExtension;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.JarRewriter;
import dk.sdu.cloud.im.harness.testing.TestPlugins;
import dk.sdu.cloud.im.spi.SpiVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link PluginJarCheck}: a vendor's jar checked before it is installed. */
class PluginJarCheckTest {
    private static final byte[] NOT_REALLY_A_CLASS = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};
    private static Path nfsJar;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildTheVendorsPlugin(@TempDir Path workshop) {
        nfsJar = TestPlugins.nfsStorage(workshop);
    }

    private PluginJarReport check(Path jar) throws IOException {
        Path work = Files.createDirectories(temp.resolve("work"));
        PluginJarReport report = new PluginJarCheck("0.1.0", work).check(jar);
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("the check removes its copy of the jar").isEmpty();
        }
        return report;
    }

    @Test
    void aGoodJarIsReportedInFullAndOk() throws IOException {
        PluginJarReport report = check(nfsJar);

        assertThat(report.descriptor()).containsExactly(
                entry("Plugin-Id", "storage-nfs-thirdparty"),
                entry("Plugin-Version", "2.3.0"),
                entry("Plugin-Requires", ">=0.1.0"),
                entry("Plugin-Provider", "a third party (test)"),
                entry("Plugin-Description", "built at test time"));
        assertThat(report.spiVersion()).contains(SpiVersion.current());
        assertThat(report.hostSpiVersion()).isEqualTo(SpiVersion.current());
        assertThat(report.index()).contains(List.of("org.example.nfs.NfsDiskStorage"));
        assertThat(report.extensions()).containsExactly(new CheckedExtension(
                "org.example.nfs.NfsDiskStorage", List.of("VmDiskStorage"), Optional.of("ThirdPartyNfs")));
        assertThat(report.storageTypes()).containsExactly("ThirdPartyNfs");
        assertThat(report.bundled().any()).isFalse();
        assertThat(report.problems()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void theShippedPluginsAreOk() throws IOException {
        for (Path jar : BuiltPlugins.jars()) {
            PluginJarReport report = check(jar);
            assertThat(report.problems()).as(jar.getFileName().toString()).isEmpty();
            assertThat(report.extensions()).as(jar.getFileName().toString()).isNotEmpty();
        }
    }

    @Test
    void aJarWithoutExtensionIndexIsNotOk() throws IOException {
        Path jar = JarRewriter.copyOf(nfsJar).without(name -> name.equals("META-INF/extensions.idx"))
                .writeTo(temp.resolve("no-index.jar"));

        PluginJarReport report = check(jar);

        assertThat(report.ok()).isFalse();
        assertThat(report.index()).isEmpty();
        assertThat(report.extensions()).isEmpty();
        assertThat(report.problems()).containsExactly("no-index.jar: no META-INF/extensions.idx, so the host finds no "
                + "extension in it (PF4J's annotation processor did not run: name "
                + "org.pf4j.processor.ExtensionAnnotationProcessor in the compiler's configuration, as im-plugin-parent does)");
    }

    @Test
    void aJarWithAnEmptyExtensionIndexIsNotOk() throws IOException {
        Path jar = JarRewriter.copyOf(nfsJar).with("META-INF/extensions.idx", "# nothing\n".getBytes())
                .writeTo(temp.resolve("empty-index.jar"));

        PluginJarReport report = check(jar);

        assertThat(report.index()).contains(List.of());
        assertThat(report.problems()).singleElement().asString()
                .startsWith("empty-index.jar: META-INF/extensions.idx lists no extension");
    }

    @Test
    void aJarBundlingJackson2IsNotOkAndToldItWillFailWithNoClassDefFoundError() throws IOException {
        Path jar = JarRewriter.copyOf(nfsJar)
                .with("com/fasterxml/jackson/databind/ObjectMapper.class", NOT_REALLY_A_CLASS)
                .with("com/fasterxml/jackson/databind/JsonNode.class", NOT_REALLY_A_CLASS)
                .writeTo(temp.resolve("with-jackson2.jar"));

        PluginJarReport report = check(jar);

        assertThat(report.ok()).isFalse();
        assertThat(report.storageTypes()).as("it does load").containsExactly("ThirdPartyNfs");
        assertThat(report.bundled().packages()).containsExactly("com.fasterxml.jackson.databind");
        assertThat(report.bundled().missingPackages()).containsExactly("com.fasterxml.jackson.databind");
        assertThat(report.problems()).singleElement().asString()
                .startsWith("with-jackson2.jar: bundles 2 classes of platform packages (com.fasterxml.jackson.databind)")
                .contains("so the plugin fails with NoClassDefFoundError when it uses them")
                .contains("the platform's Jackson is 3: use tools.jackson.databind")
                .endsWith("(the host loads such a jar with a warning, or refuses it with "
                        + "harness.plugins.bundledPlatformClasses: refuse)");
    }

    @Test
    void aJarBuiltAgainstAnotherSpiMajorVersionIsRefused() throws IOException {
        Path jar = JarRewriter.copyOf(nfsJar).manifest(SpiVersion.MANIFEST_ATTRIBUTE, "1.0.0")
                .writeTo(temp.resolve("spi-1.jar"));

        PluginJarReport report = check(jar);

        assertThat(report.ok()).isFalse();
        assertThat(report.spiVersion()).contains("1.0.0");
        assertThat(report.extensions()).isEmpty();
        assertThat(report.problems()).singleElement().asString()
                .startsWith("plugin 'storage-nfs-thirdparty' (spi-1.jar): refused: it was built against SPI 1.0.0 "
                        + "(Plugin-Spi-Version), this host's SPI is " + SpiVersion.current() + ": a different major version");
    }

    @Test
    void aJarWithoutSpiVersionIsOkWithAWarning() throws IOException {
        Path jar = JarRewriter.copyOf(nfsJar).manifest(SpiVersion.MANIFEST_ATTRIBUTE, " ")
                .writeTo(temp.resolve("old-build.jar"));

        PluginJarReport report = check(jar);

        assertThat(report.ok()).isTrue();
        assertThat(report.spiVersion()).isEmpty();
        assertThat(report.warnings()).singleElement().asString()
                .startsWith("old-build.jar: its manifest has no Plugin-Spi-Version");
    }

    @Test
    void aFileThatIsNoJarOrIsMissingIsNotOk() throws IOException {
        Path text = Files.writeString(temp.resolve("notes.jar"), "not a zip");

        assertThat(check(text).problems()).singleElement().asString().startsWith("notes.jar: cannot be read as a jar: ");
        assertThat(check(temp.resolve("missing.jar")).problems()).containsExactly("missing.jar: no such file");
    }
}
