package dk.sdu.cloud.im.storage.csi;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CsiStaticPvDiskStorageTest {
    private static final String JOB_FOLDER = "home/alice#1234/Jobs/VirtualMachines/4242";

    static Map<String, String> attributes() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("clusterID", "3f5c0a2e-ceph");
        attributes.put("fsName", "ucloudfs");
        attributes.put("staticVolume", "true");
        attributes.put("rootPath", "/volumes/ucloud");
        return attributes;
    }

    static CsiStorageConfig config(Optional<CsiStorageConfig.SecretReference> secret, String subpathField) {
        return new CsiStorageConfig(new CsiStorageConfig.Csi(
                "ucloud-vm-disks", "cephfs.csi.ceph.com", secret, attributes(), subpathField));
    }

    private final CsiStaticPvDiskStorage storage = new CsiStaticPvDiskStorage(config(
            Optional.of(new CsiStorageConfig.SecretReference("csi-cephfs-secret", "ceph-csi")),
            "volumeAttributes.rootPath"));

    @Test
    void describesAStaticCsiVolumeForTheJobFolder() {
        PersistentVolume pv = storage.describeVolume(new VolumeRequest("vm-4242-0", "4242", 0, 60, JOB_FOLDER, false));

        assertThat(pv.getMetadata().getName()).isEqualTo("vm-4242-0");
        assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo("cephfs.csi.ceph.com");
        assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo("ucloud-vm-4242-0");
        assertThat(pv.getSpec().getCsi().getVolumeAttributes()).containsExactly(
                Map.entry("clusterID", "3f5c0a2e-ceph"),
                Map.entry("fsName", "ucloudfs"),
                Map.entry("staticVolume", "true"),
                Map.entry("rootPath", "/volumes/ucloud/" + JOB_FOLDER));
        assertThat(pv.getSpec().getCsi().getNodeStageSecretRef().getName()).isEqualTo("csi-cephfs-secret");
        assertThat(pv.getSpec().getCsi().getNodeStageSecretRef().getNamespace()).isEqualTo("ceph-csi");
        assertThat(pv.getSpec().getCsi().getReadOnly()).isNull();
        assertThat(pv.getSpec().getStorageClassName()).isEqualTo("ucloud-vm-disks");
        assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
        assertThat(pv.getSpec().getCapacity().get("storage").toString()).isEqualTo("60Gi");
        assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Filesystem");
        assertThat(pv.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(pv.getSpec().getHostPath()).isNull();
    }

    @Test
    void theConfiguredAttributesAreNotChangedByDescribingAVolume() {
        storage.describeVolume(new VolumeRequest("vm-4242-0", "4242", 0, 60, JOB_FOLDER, false));
        PersistentVolume second = storage.describeVolume(new VolumeRequest("vm-7-0", "7", 0, 20, "home/bob/Jobs/VirtualMachines/7", false));
        assertThat(second.getSpec().getCsi().getVolumeAttributes().get("rootPath"))
                .isEqualTo("/volumes/ucloud/home/bob/Jobs/VirtualMachines/7");
    }

    @Test
    void aFolderMountGetsItsOwnHandleAndReadOnlyWhenAsked() {
        PersistentVolume pv = storage.describeVolume(new VolumeRequest("vm-4242-0-r1", "4242", 0, 1, "collections/17/Reference", true));
        assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo("ucloud-vm-4242-0-r1");
        assertThat(pv.getSpec().getCsi().getReadOnly()).isTrue();
    }

    @Test
    void withoutANodeStageSecretNoneIsReferenced() {
        CsiStaticPvDiskStorage plain = new CsiStaticPvDiskStorage(config(Optional.empty(), "volumeAttributes.rootPath"));
        PersistentVolume pv = plain.describeVolume(new VolumeRequest("vm-4242-0", "4242", 0, 60, JOB_FOLDER, false));
        assertThat(pv.getSpec().getCsi().getNodeStageSecretRef()).isNull();
    }

    @Test
    void theTypeComesFromTheAnnotation() {
        assertThat(storage.type()).isEqualTo("CsiStaticPv");
    }

    @Test
    void theExampleConfigurationIsValid() {
        assertThat(config(Optional.empty(), "volumeAttributes.rootPath").validate()).isEmpty();
    }

    @Test
    void subpathFieldMustNameAnExistingAttribute() {
        var problems = config(Optional.empty(), "volumeAttributes.rootpath").validate();
        assertThat(problems).extracting(ConfigProblem::path).containsExactly("csi.subpathField");
        assertThat(problems.get(0).message())
                .contains("'volumeAttributes.rootpath'")
                .contains("clusterID, fsName, rootPath, staticVolume");
    }

    @Test
    void subpathFieldMustCarryTheVolumeAttributesPrefix() {
        var problems = config(Optional.empty(), "rootPath").validate();
        assertThat(problems).extracting(ConfigProblem::path).containsExactly("csi.subpathField");
        assertThat(problems.get(0).message()).contains("volumeAttributes.<key>");
    }

    @Test
    void theAttributeNamedBySubpathFieldMustNotBeEmpty() {
        Map<String, String> attributes = attributes();
        attributes.put("rootPath", " ");
        var config = new CsiStorageConfig(new CsiStorageConfig.Csi(
                "sc", "driver", Optional.empty(), attributes, "volumeAttributes.rootPath"));
        assertThat(config.validate()).extracting(ConfigProblem::path).containsExactly("csi.volumeAttributes.rootPath");
    }

    @Test
    void anIncompleteNodeStageSecretIsRejected() {
        var config = config(Optional.of(new CsiStorageConfig.SecretReference("", null)), "volumeAttributes.rootPath");
        assertThat(config.validate()).extracting(ConfigProblem::path)
                .containsExactly("csi.nodeStageSecretRef.name", "csi.nodeStageSecretRef.namespace");
    }

    @Test
    void emptyAttributesAndDriverAreRejectedTogether() {
        var config = new CsiStorageConfig(new CsiStorageConfig.Csi(
                "sc", " ", Optional.empty(), Map.of(), "volumeAttributes.rootPath"));
        assertThat(config.validate()).extracting(ConfigProblem::path)
                .containsExactly("csi.driver", "csi.volumeAttributes", "csi.subpathField");
    }
}
