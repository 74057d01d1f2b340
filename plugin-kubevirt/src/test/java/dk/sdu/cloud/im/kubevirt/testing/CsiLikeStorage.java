package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test stand-in for the CsiStaticPv storage plugin (plugins may not depend on each other). */
public final class CsiLikeStorage implements VmDiskStorage {
    private final String storageClassName;
    private final String driver;
    private final Map<String, String> volumeAttributes;
    private final String subpathKey;

    public CsiLikeStorage(String storageClassName, String driver, Map<String, String> volumeAttributes,
                          String subpathKey) {
        this.storageClassName = storageClassName;
        this.driver = driver;
        this.volumeAttributes = new LinkedHashMap<>(volumeAttributes);
        this.subpathKey = subpathKey;
    }

    @Override
    public PersistentVolume describeVolume(VolumeRequest request) {
        Map<String, String> attributes = new LinkedHashMap<>(volumeAttributes);
        attributes.put(subpathKey, attributes.get(subpathKey) + "/" + request.relativeFolder());
        return new PersistentVolumeBuilder()
                .withNewMetadata().withName(request.volumeName()).endMetadata()
                .withNewSpec()
                .withPersistentVolumeReclaimPolicy("Retain")
                .addToCapacity("storage", new Quantity(request.capacityGiB() + "Gi"))
                .withVolumeMode("Filesystem")
                .withAccessModes("ReadWriteMany")
                .withStorageClassName(storageClassName)
                .withNewCsi()
                .withDriver(driver)
                .withVolumeHandle("ucloud-" + request.volumeName())
                .withVolumeAttributes(attributes)
                .withReadOnly(request.readOnly() ? Boolean.TRUE : null)
                .endCsi()
                .endSpec()
                .build();
    }

    @Override
    public String type() {
        return "CsiStaticPv";
    }
}
