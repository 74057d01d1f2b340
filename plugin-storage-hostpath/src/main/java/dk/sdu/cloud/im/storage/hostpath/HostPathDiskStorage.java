package dk.sdu.cloud.im.storage.hostpath;

import dk.sdu.cloud.im.spi.storage.StaticVolumes;
import dk.sdu.cloud.im.spi.storage.StorageType;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import static java.util.Objects.requireNonNull;

/**
 * A static PV whose {@code hostPath.path} is {@code <storage.hostPath>/<folder relative to the mount point>},
 * as UCloud/IM makes it. No {@code hostPath.type}: the folder exists on the shared file system already.
 */
@Extension
@StorageType("HostPath")
public final class HostPathDiskStorage implements VmDiskStorage {
    private final HostPathStorageConfig config;

    @Inject
    public HostPathDiskStorage(HostPathStorageConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public PersistentVolume describeVolume(VolumeRequest request) {
        return StaticVolumes.skeleton(request, "")
                .withNewHostPath()
                .withPath(StaticVolumes.underBase(config.hostPath(), request))
                .endHostPath()
                .endSpec()
                .build();
    }
}
