package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.kubernetes.LazyKubernetesAccess;
import dk.sdu.cloud.im.harness.inject.DisabledVmDiskStorage;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.host.SecretStore;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.job.ProductReference;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.CSIPersistentVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real host, started from the real plugin jars with each example configuration. */
class ImHostTest {
    private static final Job JOB = new Job("4242", 0L, new JobOwner("alice#1234", null), null, null, List.of());

    @TempDir
    Path temp;

    private ImHost start(Path config) {
        Path plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        return ImHost.assemble(new HostOptions(config, plugins, temp.resolve("state")));
    }

    private static VolumeRequest diskOf(ImHost host) {
        String folder = host.injector().getInstance(ProviderFileSystem.class).jobFolder(JOB);
        return new VolumeRequest("vm-4242-0", "4242", 0, 60, folder, false);
    }

    private static void assertCommonShape(PersistentVolume volume) {
        PersistentVolumeSpec spec = volume.getSpec();
        assertThat(volume.getMetadata().getName()).isEqualTo("vm-4242-0");
        assertThat(spec.getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
        assertThat(spec.getCapacity()).containsExactly(Map.entry("storage", new Quantity("60Gi")));
        assertThat(spec.getVolumeMode()).isEqualTo("Filesystem");
        assertThat(spec.getAccessModes()).containsExactly("ReadWriteMany");
    }

    @Test
    void theHostPathExampleSelectsHostPathStorage() {
        try (ImHost host = start(ExampleConfigs.file("config-hostpath.yaml"))) {
            assertThat(host.vmDiskStorage().type()).isEqualTo("HostPath");
            assertThat(host.configuration().storage().orElseThrow().pluginId()).isEqualTo("storage-hostpath");

            PersistentVolume volume = host.vmDiskStorage().describeVolume(diskOf(host));

            assertCommonShape(volume);
            assertThat(volume.getSpec().getHostPath().getPath())
                    .isEqualTo("/mnt/ucloud/home/alice#1234/Jobs/VirtualMachines/4242");
            assertThat(volume.getSpec().getStorageClassName()).isEmpty();
            assertThat(volume.getSpec().getCsi()).isNull();
        }
    }

    @Test
    void theCsiExampleSelectsCsiStorage() {
        try (ImHost host = start(ExampleConfigs.file("config-csi.yaml"))) {
            assertThat(host.vmDiskStorage().type()).isEqualTo("CsiStaticPv");

            PersistentVolume volume = host.vmDiskStorage().describeVolume(diskOf(host));

            assertCommonShape(volume);
            assertThat(volume.getSpec().getStorageClassName()).isEqualTo("ucloud-vm-disks");
            CSIPersistentVolumeSource csi = volume.getSpec().getCsi();
            assertThat(csi.getDriver()).isEqualTo("cephfs.csi.ceph.com");
            assertThat(csi.getVolumeHandle()).isEqualTo("ucloud-vm-4242-0");
            assertThat(csi.getVolumeAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "clusterID", "3f5c0a2e-ceph",
                    "fsName", "ucloudfs",
                    "staticVolume", "true",
                    "rootPath", "/volumes/ucloud/home/alice#1234/Jobs/VirtualMachines/4242"));
            assertThat(csi.getNodeStageSecretRef().getName()).isEqualTo("csi-cephfs-secret");
            assertThat(csi.getNodeStageSecretRef().getNamespace()).isEqualTo("ceph-csi");
            assertThat(volume.getSpec().getHostPath()).isNull();
        }
    }

    @Test
    void theInjectorHoldsTheHostServicesFromTheConfiguration() {
        try (ImHost host = start(ExampleConfigs.file("config-csi.yaml"))) {
            var injector = host.injector();
            assertThat(injector.getInstance(ProviderFileSystem.class).mountPoint()).isEqualTo(Path.of("/mnt/ucloud"));
            assertThat(injector.getInstance(ProviderFileSystem.class).trashStagingArea()).isEqualTo(Path.of("/mnt/ucloud/trash"));
            assertThat(injector.getInstance(ProviderSettings.class).providerId()).isEqualTo("k8s");
            assertThat(injector.getInstance(SshSettings.class))
                    .isEqualTo(new SshSettings(true, "10.0.0.10", "ssh.example.org", 2000, 2100));
            MachineCatalog catalog = injector.getInstance(MachineCatalog.class);
            assertThat(catalog.find(new ProductReference("u1-standard-4", "u1-standard", "k8s")))
                    .contains(new Product("u1-standard-4", "u1-standard", "u1-standard", 4, 16, 0, true, true,
                            "", "", "", Product.DEFAULT_GPU_TYPE, Product.Fraction.WHOLE, 63)); // ceil(500 / 8 vCPUs)
            assertThat(catalog.find(new ProductReference("u1-containers-2", "u1-containers", "k8s")).orElseThrow()
                    .allowVirtualMachines()).isFalse();
            assertThat(injector.getInstance(KubernetesAccess.class).namespace()).isEqualTo("ucloud-apps");
            assertThat(injector.getInstance(Clock.class)).isNotNull();
            assertThat(injector.getInstance(JobUpdates.class)).isNotNull();
            assertThat(injector.getInstance(SshKeyDirectory.class).authorizedKeys("4242")).isEmpty();
            assertThat(injector.getInstance(SecretStore.class).get("nothing")).isEmpty();
            // One storage instance, whoever asks: the host, the injector, or PF4J.
            assertThat(injector.getInstance(VmDiskStorage.class)).isSameAs(host.vmDiskStorage());
            assertThat(host.plugins().pluginManager().getExtensions(VmDiskStorage.class, "storage-csi"))
                    .containsExactly(host.vmDiskStorage());
            // The real KubeVirt backend is created, and creating it touches neither the cluster nor any file.
            assertThat(host.computeBackends()).singleElement()
                    .satisfies(backend -> assertThat(backend.name()).isEqualTo("KubeVirt"));
            // Assembling needs no cluster and writes no state.
            assertThat(host.kubernetes()).isInstanceOfSatisfying(LazyKubernetesAccess.class, k -> assertThat(k.isBuilt()).isFalse());
            assertThat(temp.resolve("state")).doesNotExist();
        }
    }

    @Test
    void theInjectorHoldsTheInstallationOfTheHomeProperty() {
        String before = System.getProperty(HostOptions.HOME_PROPERTY);
        Path home = temp.resolve("installation").toAbsolutePath();
        System.setProperty(HostOptions.HOME_PROPERTY, home.toString());
        try (ImHost host = start(ExampleConfigs.file("config-csi.yaml"))) {
            Installation installation = host.injector().getInstance(Installation.class);
            assertThat(installation.home()).isEqualTo(home);
            assertThat(installation.resolve("guest/vm-agent")).isEqualTo(home.resolve("guest/vm-agent"));
        } finally {
            if (before == null) {
                System.clearProperty(HostOptions.HOME_PROPERTY);
            } else {
                System.setProperty(HostOptions.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void withVirtualMachinesDisabledTheStorageRefusesWithTheReason() {
        Path config = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("services.compute.virtualMachines.enabled", "false")
                .writeTo(temp.resolve("config.yaml"));
        try (ImHost host = start(config)) {
            assertThat(host.vmDiskStorage()).isInstanceOf(DisabledVmDiskStorage.class);
            assertThatThrownBy(() -> host.vmDiskStorage().describeVolume(diskOf(host)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("vm-4242-0")
                    .hasMessageContaining("virtual machines are disabled");
        }
    }

    @Test
    void anUnknownStorageTypeStopsTheStartListingTheFoundTypes() {
        Path config = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("services.compute.virtualMachines.storage.type", "Nfs")
                .writeTo(temp.resolve("config.yaml"));
        assertThatThrownBy(() -> start(config))
                .hasMessageContaining("services.compute.virtualMachines.storage.type: unknown storage type 'Nfs'")
                .hasMessageContaining("installed storage types: CsiStaticPv, HostPath");
    }

    @Test
    void aBrokenPluginStopsTheStartNamingIt() throws Exception {
        Path plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        Files.write(plugins.resolve("half-downloaded.jar"), new byte[]{'P', 'K', 3, 4});
        HostOptions options = new HostOptions(ExampleConfigs.file("config-csi.yaml"), plugins, temp.resolve("state"));
        assertThatThrownBy(() -> ImHost.assemble(options))
                .hasMessageContaining("half-downloaded.jar: cannot be loaded as a plugin");
    }
}
