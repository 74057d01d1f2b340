package dk.sdu.cloud.im.harness.testing;

import java.nio.file.Path;

/**
 * Plugins written at test time, as third parties would write them, each in its own package. Each method
 * builds the jar into {@code directory} and returns its path.
 */
public final class TestPlugins {
    private TestPlugins() {
    }

    /**
     * Storage type {@code ThirdPartyNfs}: an NFS PV whose path is {@code <nfs.exportPath>/<folder>} on
     * {@code nfs.server}; its section ({@code storage.nfs.{server, exportPath}}) checks that the export path is
     * absolute.
     */
    public static Path nfsStorage(Path directory) {
        return PluginJarBuilder.plugin("storage-nfs-thirdparty", "2.3.0")
                .source("org.example.nfs.NfsStorageConfig", """
                        package org.example.nfs;

                        import dk.sdu.cloud.im.spi.config.ConfigProblem;
                        import dk.sdu.cloud.im.spi.config.ConfigSection;
                        import dk.sdu.cloud.im.spi.config.ValidatedConfig;
                        import java.util.List;

                        @ConfigSection("services.compute.virtualMachines.storage")
                        public record NfsStorageConfig(Nfs nfs) implements ValidatedConfig {
                            public record Nfs(String server, String exportPath) {
                            }

                            @Override
                            public List<ConfigProblem> validate() {
                                if (!nfs.exportPath().startsWith("/")) {
                                    return List.of(new ConfigProblem("nfs.exportPath",
                                            "must be an absolute path on the NFS server, got '" + nfs.exportPath() + "'"));
                                }
                                return List.of();
                            }
                        }
                        """)
                .source("org.example.nfs.NfsDiskStorage", """
                        package org.example.nfs;

                        import dk.sdu.cloud.im.spi.storage.StorageType;
                        import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
                        import dk.sdu.cloud.im.spi.storage.VolumeRequest;
                        import io.fabric8.kubernetes.api.model.PersistentVolume;
                        import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
                        import io.fabric8.kubernetes.api.model.Quantity;
                        import jakarta.inject.Inject;
                        import org.pf4j.Extension;

                        @Extension
                        @StorageType("ThirdPartyNfs")
                        public final class NfsDiskStorage implements VmDiskStorage {
                            private final NfsStorageConfig config;

                            @Inject
                            public NfsDiskStorage(NfsStorageConfig config) {
                                this.config = config;
                            }

                            @Override
                            public PersistentVolume describeVolume(VolumeRequest request) {
                                return new PersistentVolumeBuilder()
                                        .withNewMetadata().withName(request.volumeName()).endMetadata()
                                        .withNewSpec()
                                        .withPersistentVolumeReclaimPolicy("Retain")
                                        .addToCapacity("storage", new Quantity(request.capacityGiB() + "Gi"))
                                        .withVolumeMode("Filesystem")
                                        .withAccessModes("ReadWriteMany")
                                        .withStorageClassName("")
                                        .withNewNfs()
                                        .withServer(config.nfs().server())
                                        .withPath(config.nfs().exportPath() + "/" + request.relativeFolder())
                                        .endNfs()
                                        .endSpec()
                                        .build();
                            }
                        }
                        """)
                .build(directory.resolve("storage-nfs-thirdparty-2.3.0.jar"));
    }

    /**
     * A compute backend in the shape of the KubeVirt one: section {@code services.compute.virtualMachines}
     * ({@code enabled}, {@code podLevelResources}, and a {@code storage} component that must stay empty,
     * since the host hides {@code storage} from it), a helper class with its own section
     * {@code services.compute.fakeTuning} that Guice builds for it, and the selected {@code VmDiskStorage}.
     * {@link dk.sdu.cloud.im.spi.compute.ComputeBackend#name()} reports what it received.
     */
    public static Path fakeComputeBackend(Path directory) {
        return fakeComputeBackend(directory, "");
    }

    /** The fake compute backend, with extra statements run at the end of its constructor. */
    public static Path fakeComputeBackend(Path directory, String constructorTail) {
        return PluginJarBuilder.plugin("compute-fake", "0.9.0")
                .source("org.example.fakevm.FakeVmConfig", """
                        package org.example.fakevm;

                        import dk.sdu.cloud.im.spi.config.ConfigDefault;
                        import dk.sdu.cloud.im.spi.config.ConfigSection;
                        import java.util.Map;
                        import java.util.Optional;

                        @ConfigSection("services.compute.virtualMachines")
                        public record FakeVmConfig(
                                @ConfigDefault("false") boolean enabled,
                                @ConfigDefault("false") boolean podLevelResources,
                                Optional<Map<String, String>> storage) {
                        }
                        """)
                .source("org.example.fakevm.FakeTuningConfig", """
                        package org.example.fakevm;

                        import dk.sdu.cloud.im.spi.config.ConfigDefault;
                        import dk.sdu.cloud.im.spi.config.ConfigSection;

                        @ConfigSection("services.compute.fakeTuning")
                        public record FakeTuningConfig(@ConfigDefault("7") int level) {
                        }
                        """)
                .source("org.example.fakevm.Tuning", """
                        package org.example.fakevm;

                        import jakarta.inject.Inject;

                        public final class Tuning {
                            final int level;

                            @Inject
                            public Tuning(FakeTuningConfig config) {
                                this.level = config.level();
                            }
                        }
                        """)
                .source("org.example.fakevm.FakeVmBackend", """
                        package org.example.fakevm;

                        import dk.sdu.cloud.im.spi.compute.ComputeBackend;
                        import dk.sdu.cloud.im.spi.compute.DynamicParameter;
                        import dk.sdu.cloud.im.spi.host.Product;
                        import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
                        import dk.sdu.cloud.im.spi.job.Job;
                        import dk.sdu.cloud.im.spi.job.NameAndVersion;
                        import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
                        import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
                        import jakarta.inject.Inject;
                        import org.pf4j.Extension;
                        import java.util.List;
                        import java.util.Set;

                        @Extension
                        public final class FakeVmBackend implements ComputeBackend {
                            private final String summary;

                            @Inject
                            public FakeVmBackend(FakeVmConfig config, Tuning tuning, VmDiskStorage storage,
                                                 ProviderFileSystem fileSystem, KubernetesAccess kubernetes) {
                                this.summary = "enabled=" + config.enabled()
                                        + " podLevelResources=" + config.podLevelResources()
                                        + " storageKeysSeen=" + config.storage().isPresent()
                                        + " tuning=" + tuning.level
                                        + " storage=" + storage.type()
                                        + " mountPoint=" + fileSystem.mountPoint()
                                        + " namespace=" + kubernetes.namespace();
                                %s
                            }

                            @Override public String name() { return summary; }
                            @Override public Set<String> toolBackends() { return Set.of("VIRTUAL_MACHINE"); }
                            @Override public void verify(Job job) { }
                            @Override public void start(Job job) { }
                            @Override public void suspend(Job job) { }
                            @Override public void unsuspend(Job job) { }
                            @Override public void terminate(Job job) { }
                            @Override public boolean supportsProduct(Product product) { return product.allowVirtualMachines(); }
                            @Override public List<DynamicParameter> dynamicParameters(NameAndVersion application) { return List.of(); }
                            @Override public String renderManifests(Job job) { return ""; }
                        }
                        """.formatted(constructorTail))
                .build(directory.resolve("compute-fake-0.9.0.jar"));
    }

    /** A plugin whose {@code Plugin-Class} throws when PF4J starts it. */
    public static Path failingOnStart(Path directory) {
        return PluginJarBuilder.plugin("fails-on-start", "1.0.0")
                .manifest("Plugin-Class", "org.example.failing.FailingPlugin")
                .source("org.example.failing.FailingPlugin", """
                        package org.example.failing;

                        public class FailingPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() {
                                throw new IllegalStateException("cannot reach the licence server");
                            }
                        }
                        """)
                .build(directory.resolve("fails-on-start.jar"));
    }

    /** A storage extension of the given type, with an empty section, in its own plugin and package. */
    public static Path storageOfType(Path directory, String pluginId, String annotation) {
        String pkg = "org.example." + pluginId.replace("-", "");
        return PluginJarBuilder.plugin(pluginId, "1.0.0")
                .source(pkg + ".SomeStorage", """
                        package %s;

                        import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
                        import dk.sdu.cloud.im.spi.storage.VolumeRequest;
                        import io.fabric8.kubernetes.api.model.PersistentVolume;

                        @org.pf4j.Extension
                        %s
                        public final class SomeStorage implements VmDiskStorage {
                            @Override
                            public PersistentVolume describeVolume(VolumeRequest request) {
                                return new PersistentVolume();
                            }
                        }
                        """.formatted(pkg, annotation))
                .build(directory.resolve(pluginId + ".jar"));
    }
}
