package dk.sdu.cloud.im.storage.hostpath;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostPathDiskStorageTest {
    private static final String JOB_FOLDER = "home/alice#1234/Jobs/VirtualMachines/4242";

    private final HostPathDiskStorage storage = new HostPathDiskStorage(new HostPathStorageConfig("/mnt/ucloud"));

    @Test
    void describesAStaticHostPathVolumeForTheJobFolder() {
        PersistentVolume pv = storage.describeVolume(new VolumeRequest("vm-4242-0", "4242", 0, 60, JOB_FOLDER, false));

        assertThat(pv.getMetadata().getName()).isEqualTo("vm-4242-0");
        assertThat(pv.getSpec().getHostPath().getPath()).isEqualTo("/mnt/ucloud/" + JOB_FOLDER);
        assertThat(pv.getSpec().getHostPath().getType()).isNull();
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
        assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("60Gi");
        assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(pv.getSpec().getStorageClassName()).isEmpty();
        assertThat(pv.getSpec().getCsi()).isNull();
    }

    @Test
    void aTrailingSlashOnTheHostPathDoesNotDoubleTheSeparator() {
        HostPathDiskStorage slashed = new HostPathDiskStorage(new HostPathStorageConfig("/data/ucloud/"));
        PersistentVolume pv = slashed.describeVolume(new VolumeRequest("vm-1-0", "1", 0, 15, "collections/17/Data", true));
        assertThat(pv.getSpec().getHostPath().getPath()).isEqualTo("/data/ucloud/collections/17/Data");
    }

    @Test
    void theSameRequestGivesTheSameVolume() {
        VolumeRequest request = new VolumeRequest("vm-4242-0", "4242", 0, 60, JOB_FOLDER, false);
        assertThat(storage.describeVolume(request)).isEqualTo(storage.describeVolume(request));
    }

    @Test
    void theTypeComesFromTheAnnotation() {
        assertThat(storage.type()).isEqualTo("HostPath");
    }

    @Test
    void aRelativeHostPathIsRejected() {
        assertThat(new HostPathStorageConfig("mnt/ucloud").validate())
                .extracting(ConfigProblem::path).containsExactly("hostPath");
        assertThat(new HostPathStorageConfig("mnt/ucloud").validate().get(0).message()).contains("'mnt/ucloud'");
    }

    @Test
    void aHostPathWithParentReferencesIsRejected() {
        assertThat(new HostPathStorageConfig("/mnt/../etc").validate())
                .extracting(ConfigProblem::path).containsExactly("hostPath");
    }

    @Test
    void anAbsoluteHostPathIsValid() {
        assertThat(new HostPathStorageConfig("/mnt/ucloud").validate()).isEmpty();
    }
}
