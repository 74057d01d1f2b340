package dk.sdu.cloud.im.spi.storage;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticVolumesTest {
    private final VolumeRequest request = new VolumeRequest("vm-7-0", "7", 0, 20, "home/bob/Jobs/VirtualMachines/7", false);

    @Test
    void theSkeletonCarriesEverythingTheContractFixes() {
        PersistentVolume pv = StaticVolumes.skeleton(request, "fast").withNewNfs().withServer("nfs").withPath("/x")
                .endNfs().endSpec().build();

        assertThat(pv.getMetadata().getName()).isEqualTo("vm-7-0");
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
        assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("20Gi");
        assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(pv.getSpec().getStorageClassName()).isEqualTo("fast");
        assertThat(pv.getSpec().getNfs().getServer()).isEqualTo("nfs");
    }

    @Test
    void theFolderIsJoinedWithExactlyOneSeparator() {
        assertThat(StaticVolumes.underBase("/mnt/ucloud", request)).isEqualTo("/mnt/ucloud/home/bob/Jobs/VirtualMachines/7");
        assertThat(StaticVolumes.underBase("/mnt/ucloud/", request)).isEqualTo("/mnt/ucloud/home/bob/Jobs/VirtualMachines/7");
        VolumeRequest root = new VolumeRequest("vm-7-0-opt", "7", 0, 1, "", true);
        assertThat(StaticVolumes.underBase("/mnt/ucloud/", root)).isEqualTo("/mnt/ucloud");
    }

    @Test
    void aRequestCannotEscapeTheMountPoint() {
        assertThatThrownBy(() -> new VolumeRequest("v", "7", 0, 1, "home/../../etc", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("..");
        assertThatThrownBy(() -> new VolumeRequest("v", "7", 0, 1, "/etc", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative");
        assertThatThrownBy(() -> new VolumeRequest("v", "7", 0, 0, "home", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacityGiB");
    }
}
