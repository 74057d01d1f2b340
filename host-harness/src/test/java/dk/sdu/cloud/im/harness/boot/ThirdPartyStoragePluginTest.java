package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.TestPlugins;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A storage backend from a third party: a jar built at test time (its own plugin id, package, storage type
 * and keys), dropped into the plugins directory beside the shipped ones and selected in YAML. Nothing in
 * the host or in the other plugins knows it.
 */
class ThirdPartyStoragePluginTest {
    private static final String STORAGE = "services.compute.virtualMachines.storage";
    private static Path nfsJar;

    @TempDir
    Path temp;

    @BeforeAll
    static void buildThePlugin(@TempDir Path workshop) {
        nfsJar = TestPlugins.nfsStorage(workshop);
    }

    private HostOptions options(ExampleConfigs config) throws Exception {
        Path plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        Files.copy(nfsJar, plugins.resolve(nfsJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return new HostOptions(config.writeTo(temp.resolve("config.yaml")), plugins, temp.resolve("state"));
    }

    private static ExampleConfigs nfsConfig(String nfsYaml) {
        return ExampleConfigs.of("config-hostpath.yaml")
                .setYaml(STORAGE, "{type: ThirdPartyNfs, nfs: " + nfsYaml + "}");
    }

    @Test
    void itIsSelectedByItsTypeAndDescribesItsVolume() throws Exception {
        try (ImHost host = ImHost.assemble(options(nfsConfig("{server: nfs.example.org, exportPath: /exports/ucloud}")))) {
            assertThat(host.plugins().plugins()).extracting(p -> p.id())
                    .containsExactly("kubevirt", "storage-csi", "storage-hostpath", "storage-nfs-thirdparty");
            assertThat(host.vmDiskStorage().type()).isEqualTo("ThirdPartyNfs");
            assertThat(host.vmDiskStorage().getClass().getName()).isEqualTo("org.example.nfs.NfsDiskStorage");

            PersistentVolume volume = host.vmDiskStorage().describeVolume(
                    new VolumeRequest("vm-4242-0", "4242", 0, 60, "home/alice#1234/Jobs/VirtualMachines/4242", false));

            assertThat(volume.getSpec().getNfs().getServer()).isEqualTo("nfs.example.org");
            assertThat(volume.getSpec().getNfs().getPath()).isEqualTo("/exports/ucloud/home/alice#1234/Jobs/VirtualMachines/4242");
            assertThat(volume.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
            assertThat(volume.getSpec().getCapacity()).containsExactly(Map.entry("storage", new Quantity("60Gi")));
        }
    }

    @Test
    void itsUnknownKeyIsReportedWithItsPathAndASuggestion() throws Exception {
        HostOptions options = options(nfsConfig("{srever: nfs.example.org, server: nfs.example.org, exportPath: /exports}"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ImHost.assemble(options));
        assertThat(e.problems()).containsExactly(new ConfigProblem(STORAGE + ".nfs.srever",
                "unknown key 'srever' (did you mean 'server'?); known keys here: exportPath, server"));
    }

    @Test
    void itsOwnChecksAreReportedWithTheirPath() throws Exception {
        HostOptions options = options(nfsConfig("{server: nfs.example.org, exportPath: exports}"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ImHost.assemble(options));
        assertThat(e.problems()).containsExactly(new ConfigProblem(STORAGE + ".nfs.exportPath",
                "must be an absolute path on the NFS server, got 'exports'"));
    }

    @Test
    void itsTypeIsListedAmongTheInstalledOnes() throws Exception {
        HostOptions options = options(ExampleConfigs.of("config-hostpath.yaml").setYaml(STORAGE + ".type", "Nfs"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ImHost.assemble(options));
        assertThat(e.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .endsWith("installed storage types: CsiStaticPv, HostPath, ThirdPartyNfs");
    }
}
