package dk.sdu.cloud.im.spi.storage;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import org.pf4j.ExtensionPoint;

/**
 * Describes the static PersistentVolume through which a job reaches a folder of the provider's file
 * system: the folder holding a virtual machine's {@code disk.img}, or a folder mounted into it.
 *
 * <p>An implementation is a PF4J {@code @Extension} annotated with {@link StorageType}. The host creates
 * only the one that the configuration selects, through its injector: its {@code @Inject} constructor may
 * take host services and one record annotated with
 * {@link dk.sdu.cloud.im.spi.config.ConfigSection @ConfigSection("services.compute.virtualMachines.storage")}
 * holding its own keys under {@code storage} (the host owns {@code storage.type}).
 *
 * <p>The described volume must have: the request's name, reclaim policy {@code Retain} (the plugin that
 * asked deletes it once it is Released), capacity {@code <capacityGiB>Gi}, volume mode {@code Filesystem},
 * access mode {@code ReadWriteMany}, and a storage class name (may be empty) that the caller copies to the
 * claim that binds it; {@link StaticVolumes#skeleton} gives a volume with all of these. Implementations are
 * pure: the same request gives the same volume, nothing is created.
 */
public interface VmDiskStorage extends ExtensionPoint {

    /** The PersistentVolume for the folder. */
    PersistentVolume describeVolume(VolumeRequest request);

    /** The type name from the {@link StorageType} annotation. */
    default String type() {
        StorageType type = getClass().getAnnotation(StorageType.class);
        return type == null ? getClass().getSimpleName() : type.value();
    }
}
