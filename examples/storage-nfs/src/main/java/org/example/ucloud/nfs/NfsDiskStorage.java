package org.example.ucloud.nfs;

import dk.sdu.cloud.im.spi.storage.StaticVolumes;
import dk.sdu.cloud.im.spi.storage.StorageType;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import jakarta.inject.Inject;
import org.pf4j.Extension;

import static java.util.Objects.requireNonNull;

/**
 * VM disk storage on NFS: a job's folder reaches its VM as a static PersistentVolume with an {@code nfs}
 * source, {@code <nfs.path>/<folder relative to the mount point>} on {@code nfs.server}. Selected by
 * {@code services.compute.virtualMachines.storage.type: Nfs}.
 */
@Extension
@StorageType(NfsDiskStorage.TYPE)
public final class NfsDiskStorage implements VmDiskStorage {
    /** The name the configuration selects this storage by. */
    public static final String TYPE = "Nfs";

    private final NfsStorageConfig config;

    @Inject
    public NfsDiskStorage(NfsStorageConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public PersistentVolume describeVolume(VolumeRequest request) {
        // The skeleton holds what the KubeVirt backend relies on (name, Retain, capacity, RWX, Filesystem).
        return StaticVolumes.skeleton(request, "")
                .withNewNfs()
                .withServer(config.nfs().server())
                .withPath(StaticVolumes.underBase(config.nfs().path(), request))
                .withReadOnly(request.readOnly())
                .endNfs()
                .endSpec()
                .build();
    }
}
