package dk.sdu.cloud.im.testkit;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;
import dk.sdu.cloud.im.spi.storage.StaticVolumes;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestKitTest {
    private static final String STORAGE = "services.compute.virtualMachines.storage";

    @ConfigSection(STORAGE)
    public record ShareConfig(Share share, @ConfigDefault("3") int retries) implements ValidatedConfig {
        public record Share(String server, String path) {
        }

        @Override
        public List<ConfigProblem> validate() {
            return share.path().startsWith("/") ? List.of()
                    : List.of(new ConfigProblem("share.path", "must be absolute, got '" + share.path() + "'"));
        }
    }

    public record NotASection(String x) {
    }

    @Test
    void aSectionBindsWithDefaultsAndTheHostsTypeKeyIsIgnored() {
        ShareConfig config = ConfigSections.bind(ShareConfig.class, """
                type: Share
                share: {server: files.example.org, path: /exports}
                """);

        assertThat(config).isEqualTo(new ShareConfig(new ShareConfig.Share("files.example.org", "/exports"), 3));
    }

    @Test
    void problemsAreTheHostsWithFullPathsAndSuggestions() {
        assertThat(ConfigSections.problems(ShareConfig.class, "share: {server: a, pth: /x, path: /x}"))
                .containsExactly(new ConfigProblem(STORAGE + ".share.pth",
                        "unknown key 'pth' (did you mean 'path'?); known keys here: path, server"));
        assertThat(ConfigSections.problems(ShareConfig.class, "share: {server: a, path: x}"))
                .containsExactly(new ConfigProblem(STORAGE + ".share.path", "must be absolute, got 'x'"));
        assertThat(ConfigSections.problems(ShareConfig.class, "share: [1, 2")).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("YAML syntax error"));
    }

    @Test
    void bindFailsListingEveryProblem() {
        assertThatThrownBy(() -> ConfigSections.bind(ShareConfig.class, "share: {server: a, pth: /x, path: /x}\nretries: many"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the ShareConfig section has problems:")
                .hasMessageContaining(STORAGE + ".retries")
                .hasMessageContaining(STORAGE + ".share.pth");
        assertThatThrownBy(() -> ConfigSections.bind(NotASection.class, "x: y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no @ConfigSection");
    }

    @Test
    void theSkeletonKeepsTheContractAndABareVolumeDoesNot() {
        VolumeRequest request = VolumeRequests.jobFolder("42", "alice#1234");
        assertThat(request.relativeFolder()).isEqualTo("home/alice#1234/Jobs/VirtualMachines/42");
        PersistentVolume good = StaticVolumes.skeleton(request, "").withNewHostPath().withPath("/x").endHostPath()
                .endSpec().build();
        StaticVolumeContract.assertKeptBy(good, request);

        PersistentVolume bare = new PersistentVolumeBuilder()
                .withNewMetadata().withName("other").endMetadata()
                .withNewSpec().withPersistentVolumeReclaimPolicy("Delete").endSpec().build();
        assertThat(StaticVolumeContract.violations(bare, request)).containsExactly(
                "metadata.name: expected vm-42-0, got other",
                "spec.persistentVolumeReclaimPolicy: expected Retain, got Delete",
                "spec.capacity: expected {storage=60Gi}, got {}",
                "spec.volumeMode: expected Filesystem, got null",
                "spec.accessModes: expected [ReadWriteMany], got []",
                "spec.storageClassName: missing (give \"\" for none; the claim copies it)");
        assertThatThrownBy(() -> StaticVolumeContract.assertKeptBy(bare, request)).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("the volume for vm-42-0 breaks the VmDiskStorage contract: metadata.name");
        assertThat(VolumeRequests.folder("42", "r0", "collections/17", true).volumeName()).isEqualTo("vm-42-0-r0");
    }
}
