package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** Test stand-in for the HostPath storage plugin (plugins may not depend on each other). */
public final class HostPathLikeStorage implements VmDiskStorage {
    private final String hostPath;

    public HostPathLikeStorage(String hostPath) {
        this.hostPath = hostPath;
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
                .withNewHostPath().withPath(hostPath + "/" + request.relativeFolder()).endHostPath()
                .endSpec()
                .build();
    }

    @Override
    public String type() {
        return "HostPath";
    }
}
