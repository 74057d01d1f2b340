package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.PluginJarBuilder;
import dk.sdu.cloud.im.harness.testing.TestPlugins;
import dk.sdu.cloud.im.spi.SpiVersion;
import dk.sdu.cloud.im.spi.storage.StorageType;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PluginLoaderTest {
    private static final String HOST_VERSION = "0.1.0";

    @TempDir
    Path temp;

    private Path plugins() {
        return BuiltPlugins.copyTo(temp.resolve("plugins"));
    }

    @Test
    void theBuiltPluginsLoadWithTheirTypesAndSections() {
        try (InstalledPlugins installed = PluginLoader.load(plugins(), HOST_VERSION)) {
            assertThat(installed.plugins()).extracting(InstalledPlugin::id)
                    .containsExactly("kubevirt", "storage-csi", "storage-hostpath");
            assertThat(installed.plugins()).allSatisfy(p -> {
                assertThat(p.version()).isEqualTo("0.1.0-SNAPSHOT");
                assertThat(p.jar().getFileName().toString()).startsWith("im-plugin-" + p.id()).endsWith(".jar");
            });
            assertThat(installed.storageTypes()).containsExactly("CsiStaticPv", "HostPath");
            ExtensionInfo hostPath = installed.storage("HostPath").orElseThrow();
            assertThat(hostPath.className()).isEqualTo("dk.sdu.cloud.im.storage.hostpath.HostPathDiskStorage");
            assertThat(hostPath.kinds()).containsExactly(ExtensionKind.VM_DISK_STORAGE);
            assertThat(hostPath.configSections()).extracting(Class::getName)
                    .containsExactly("dk.sdu.cloud.im.storage.hostpath.HostPathStorageConfig");
            assertThat(installed.computeBackends()).singleElement().satisfies(kubevirt -> {
                assertThat(kubevirt.className()).isEqualTo("dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend");
                assertThat(kubevirt.kinds()).containsExactly(ExtensionKind.COMPUTE_BACKEND);
                assertThat(kubevirt.configSections()).extracting(Class::getName)
                        .containsExactly("dk.sdu.cloud.im.kubevirt.KubeVirtConfig");
            });
            // The extension implements the host's own VmDiskStorage, loaded once.
            assertThat(VmDiskStorage.class.isAssignableFrom(hostPath.extensionClass())).isTrue();
            assertThat(hostPath.extensionClass().getClassLoader()).isNotSameAs(VmDiskStorage.class.getClassLoader());
        }
    }

    @Test
    void pluginClassesAreNeverOnTheHostsClassPath() {
        // Surefire leaves the plugin dependencies out; the host sees plugins only through their jars.
        for (String name : new String[]{"dk.sdu.cloud.im.storage.hostpath.HostPathDiskStorage",
                "dk.sdu.cloud.im.storage.csi.CsiStaticPvDiskStorage", "dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend"}) {
            assertThatThrownBy(() -> Class.forName(name, false, getClass().getClassLoader()))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void anEmptyDirectoryHasNoPlugins() throws IOException {
        try (InstalledPlugins installed = PluginLoader.load(Files.createDirectories(temp.resolve("empty")), HOST_VERSION)) {
            assertThat(installed.plugins()).isEmpty();
            assertThat(installed.storageTypes()).isEmpty();
        }
    }

    @Test
    void aMissingDirectoryIsRefused() {
        assertThatThrownBy(() -> PluginLoader.load(temp.resolve("nowhere"), HOST_VERSION))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("nowhere")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aCorruptJarIsRefusedNamingIt() throws IOException {
        Path dir = plugins();
        Files.write(dir.resolve("broken.jar"), new byte[]{1, 2, 3, 4, 5});

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("broken.jar: cannot be loaded as a plugin: ");
    }

    @Test
    void aJarWithoutDescriptorIsRefusedNamingIt() {
        Path dir = plugins();
        PluginJarBuilder.withoutDescriptor().entry("readme.txt", "not a plugin").build(dir.resolve("no-descriptor.jar"));

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("no-descriptor.jar: cannot be loaded as a plugin")
                .contains("Plugin-Id");
    }

    @Test
    void twoPluginsWithOneIdAreRefused() throws IOException {
        Path dir = plugins();
        Path copy = Files.list(dir).filter(p -> p.getFileName().toString().contains("hostpath")).findFirst().orElseThrow();
        Path second = Files.copy(copy, dir.resolve("zz-second-hostpath.jar"));
        // Older than the first: the jars are taken in order of name, not of modification time.
        Files.setLastModifiedTime(second, java.nio.file.attribute.FileTime.fromMillis(0));

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .contains("zz-second-hostpath.jar")
                .contains("plugin id 'storage-hostpath' is already used by " + copy.getFileName());
    }

    @Test
    void aPluginThatFailsToStartIsRefusedWithItsReason() {
        Path dir = plugins();
        TestPlugins.failingOnStart(dir);

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("plugin 'fails-on-start' (fails-on-start.jar): did not start (FAILED)")
                .contains("cannot reach the licence server");
    }

    @Test
    void aPluginForANewerHostIsRefused() {
        Path dir = plugins();
        PluginJarBuilder.plugin("from-the-future", "1.0.0").manifest("Plugin-Requires", ">=9.0.0")
                .entry("readme.txt", "x").build(dir.resolve("future.jar"));

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .contains("plugin 'from-the-future' (future.jar): did not start")
                .contains("requires host version >=9.0.0")
                .contains("this host is 0.1.0");
    }

    @Test
    void aStorageExtensionWithoutStorageTypeIsRefused() {
        Path dir = plugins();
        TestPlugins.storageOfType(dir, "untyped-storage", "");

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .contains("plugin 'untyped-storage' (untyped-storage.jar)")
                .contains("org.example.untypedstorage.SomeStorage has no @StorageType annotation");
    }

    @Test
    void twoStorageExtensionsOfOneTypeAreRefusedNamingBoth() {
        Path dir = plugins();
        TestPlugins.storageOfType(dir, "other-hostpath", "@dk.sdu.cloud.im.spi.storage.StorageType(\"HostPath\")");

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("storage type 'HostPath' is offered more than once")
                .contains("org.example.otherhostpath.SomeStorage (plugin 'other-hostpath', other-hostpath.jar)")
                .contains("dk.sdu.cloud.im.storage.hostpath.HostPathDiskStorage (plugin 'storage-hostpath'");
    }

    @Test
    void anExtensionWithTwoPublicConstructorsIsRefused() {
        Path dir = plugins();
        PluginJarBuilder.plugin("two-constructors", "1.0.0").source("org.example.two.TwoConstructors", """
                package org.example.two;

                @org.pf4j.Extension
                @dk.sdu.cloud.im.spi.storage.StorageType("Two")
                public final class TwoConstructors implements dk.sdu.cloud.im.spi.storage.VmDiskStorage {
                    public TwoConstructors() { }
                    public TwoConstructors(String name) { }
                    @Override
                    public io.fabric8.kubernetes.api.model.PersistentVolume describeVolume(
                            dk.sdu.cloud.im.spi.storage.VolumeRequest request) {
                        return null;
                    }
                }
                """).build(dir.resolve("two.jar"));

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .contains("plugin 'two-constructors' (two.jar)")
                .contains("org.example.two.TwoConstructors must have exactly one public constructor annotated @Inject");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path dir = plugins();
        Files.write(dir.resolve("broken.jar"), new byte[]{1, 2, 3});
        TestPlugins.failingOnStart(dir);
        TestPlugins.storageOfType(dir, "untyped-storage", "");

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).contains("broken.jar", "fails-on-start", "untyped-storage");
    }

    @Test
    void aPluginThatBundlesPlatformClassesStillWorksThroughTheHostsCopies() {
        Path dir = plugins();
        TestPlugins.storageOfType(dir, "bundling-storage", "@dk.sdu.cloud.im.spi.storage.StorageType(\"Bundled\")");
        // Rebuild it with copies of SPI classes inside, as a careless third-party build would.
        PluginJarBuilder.plugin("bundling-storage", "1.0.0")
                .bundle(VmDiskStorage.class).bundle(StorageType.class).bundle(VolumeRequest.class)
                .source("org.example.bundling.BundlingStorage", """
                        package org.example.bundling;

                        @org.pf4j.Extension
                        @dk.sdu.cloud.im.spi.storage.StorageType("Bundled")
                        public final class BundlingStorage implements dk.sdu.cloud.im.spi.storage.VmDiskStorage {
                            @Override
                            public io.fabric8.kubernetes.api.model.PersistentVolume describeVolume(
                                    dk.sdu.cloud.im.spi.storage.VolumeRequest request) {
                                return new io.fabric8.kubernetes.api.model.PersistentVolume();
                            }
                        }
                        """).build(dir.resolve("bundling-storage.jar"));

        try (InstalledPlugins installed = PluginLoader.load(dir, HOST_VERSION)) {
            ExtensionInfo bundled = installed.storage("Bundled").orElseThrow();
            assertThat(bundled.extensionClass().getInterfaces()).containsExactly(VmDiskStorage.class);
        }
    }

    /** A version whose minor differs from this host's SPI, so that a 0.x host refuses it (as does a 1.x+ one when newer). */
    private static String anotherSpiMinor() {
        String[] parts = SpiVersion.current().split("[.-]");
        return parts[0] + "." + (Integer.parseInt(parts[1]) + 1) + ".0";
    }

    @Test
    void aPluginBuiltAgainstAnIncompatibleSpiIsRefusedNamingBothVersions() {
        Path dir = plugins();
        String other = anotherSpiMinor();
        PluginJarBuilder.plugin("newer-spi", "1.0.0").manifest(SpiVersion.MANIFEST_ATTRIBUTE, other)
                .entry("readme.txt", "x").build(dir.resolve("newer-spi.jar"));

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("plugin 'newer-spi' (newer-spi.jar): refused: it was built against SPI " + other
                        + " (Plugin-Spi-Version), this host's SPI is " + SpiVersion.current());
    }

    @Test
    void aPluginWithAnSpiVersionThatIsNoVersionIsRefused() {
        Path dir = plugins();
        PluginJarBuilder.plugin("odd-spi", "1.0.0").manifest(SpiVersion.MANIFEST_ATTRIBUTE, "latest")
                .entry("readme.txt", "x").build(dir.resolve("odd-spi.jar"));

        PluginLoadException e = catchThrowableOfType(PluginLoadException.class, () -> PluginLoader.load(dir, HOST_VERSION));

        assertThat(e.problems()).singleElement().asString()
                .isEqualTo("plugin 'odd-spi' (odd-spi.jar): refused: its Plugin-Spi-Version 'latest' is not a version "
                        + "(expected MAJOR.MINOR.PATCH, the im-spi version it was built against)");
    }

    @Test
    void aPluginWithoutSpiVersionLoadsWithAWarning() {
        Path dir = plugins();
        PluginJarBuilder.plugin("old-build", "1.0.0").manifest(SpiVersion.MANIFEST_ATTRIBUTE, null)
                .entry("readme.txt", "x").build(dir.resolve("old-build.jar"));

        try (InstalledPlugins installed = PluginLoader.load(dir, HOST_VERSION)) {
            assertThat(installed.plugins()).extracting(InstalledPlugin::id).contains("old-build");
            assertThat(installed.warnings()).singleElement().asString()
                    .isEqualTo("plugin 'old-build' (old-build.jar): its manifest has no Plugin-Spi-Version, so whether "
                            + "it fits this host's SPI " + SpiVersion.current() + " cannot be checked; rebuild it "
                            + "against im-spi " + SpiVersion.current() + " to record it");
        }
    }

    @Test
    void theBuiltPluginsHaveNoWarnings() {
        try (InstalledPlugins installed = PluginLoader.load(plugins(), HOST_VERSION)) {
            assertThat(installed.warnings()).isEmpty();
            assertThat(installed.plugins()).allSatisfy(p -> assertThat(p.spiVersion()).contains(SpiVersion.current()));
        }
    }

    @Test
    void aPluginBundlingGuiceIsNamedWithThePackageAndRefusedOnRequest() {
        Path dir = plugins();
        PluginJarBuilder.plugin("bundles-guice", "1.0.0").bundle(com.google.inject.Injector.class)
                .bundle(com.google.inject.Key.class).entry("readme.txt", "x").build(dir.resolve("bundles-guice.jar"));

        try (InstalledPlugins installed = PluginLoader.load(dir, HOST_VERSION)) {
            assertThat(installed.warnings()).singleElement().asString()
                    .startsWith("plugin 'bundles-guice' (bundles-guice.jar): bundles 2 classes of platform packages "
                            + "(com.google.inject); the host never loads them")
                    .doesNotContain("NoClassDefFoundError");
            assertThat(installed.bundledPlatformClasses()).hasSize(1);

            PluginLoadException e = catchThrowableOfType(PluginLoadException.class,
                    () -> installed.refuseBundledPlatformClasses("a setting says so"));
            assertThat(e.problems()).singleElement().asString()
                    .startsWith("plugin 'bundles-guice' (bundles-guice.jar): bundles 2 classes")
                    .endsWith("(refused: a setting says so)");
        }
    }

    @Test
    void aPluginBundlingJackson2DatabindIsToldItWillFailWithNoClassDefFoundError() {
        Path dir = plugins();
        PluginJarBuilder.plugin("bundles-jackson2", "1.0.0")
                .entry("com/fasterxml/jackson/databind/ObjectMapper.class", new byte[]{(byte) 0xCA, (byte) 0xFE})
                .entry("com/fasterxml/jackson/databind/JsonNode.class", new byte[]{(byte) 0xCA, (byte) 0xFE})
                .entry("com/fasterxml/jackson/databind/module-info.class", new byte[]{(byte) 0xCA, (byte) 0xFE})
                .entry("readme.txt", "x").build(dir.resolve("bundles-jackson2.jar"));

        try (InstalledPlugins installed = PluginLoader.load(dir, HOST_VERSION)) {
            InstalledPlugin plugin = installed.plugins().stream().filter(p -> p.id().equals("bundles-jackson2"))
                    .findFirst().orElseThrow();
            assertThat(plugin.bundled().packages()).containsExactly("com.fasterxml.jackson.databind");
            assertThat(plugin.bundled().missingPackages()).containsExactly("com.fasterxml.jackson.databind");
            assertThat(installed.warnings()).singleElement().asString()
                    .contains("bundles 2 classes of platform packages (com.fasterxml.jackson.databind)")
                    .contains("but it has none of com.fasterxml.jackson.databind, so the plugin fails with "
                            + "NoClassDefFoundError when it uses them")
                    .contains("the platform's Jackson is 3: use tools.jackson.databind");
        }
    }
}
