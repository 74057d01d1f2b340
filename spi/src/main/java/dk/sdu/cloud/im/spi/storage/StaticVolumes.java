package dk.sdu.cloud.im.spi.storage;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeFluent;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Helpers for {@link VmDiskStorage} implementations, so that every backend's volumes meet the contract the
 * KubeVirt backend relies on without each plugin restating it.
 */
public final class StaticVolumes {
    private StaticVolumes() {
    }

    /**
     * A PersistentVolume with everything the contract fixes: the request's name, reclaim policy
     * {@code Retain}, capacity {@code <capacityGiB>Gi}, volume mode {@code Filesystem}, access mode
     * {@code ReadWriteMany} and the given storage class. The caller adds the volume source (hostPath, csi,
     * nfs, ...) to the returned spec and ends it.
     *
     * @param request          the folder the volume is for
     * @param storageClassName the storage class, possibly empty; the claim that binds the volume copies it
     */
    public static PersistentVolumeFluent<PersistentVolumeBuilder>.SpecNested<PersistentVolumeBuilder> skeleton(
            VolumeRequest request, String storageClassName) {
        return new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(request.volumeName())
                .endMetadata()
                .withNewSpec()
                .withPersistentVolumeReclaimPolicy("Retain")
                .addToCapacity("storage", new Quantity(request.capacityGiB() + "Gi"))
                .withVolumeMode("Filesystem")
                .withAccessModes("ReadWriteMany")
                .withStorageClassName(storageClassName);
    }

    /**
     * The request's folder below a base path as the node or the storage system sees the mount point, joined
     * with exactly one {@code /}: {@code underBase("/mnt/ucloud/", "home/a")} is {@code /mnt/ucloud/home/a}.
     */
    public static String underBase(String base, VolumeRequest request) {
        String left = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String relative = request.relativeFolder();
        return relative.isEmpty() ? left : left + "/" + relative;
    }
}
