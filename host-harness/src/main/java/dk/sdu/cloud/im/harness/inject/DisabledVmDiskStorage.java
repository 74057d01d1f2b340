package dk.sdu.cloud.im.harness.inject;

import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import dk.sdu.cloud.im.spi.storage.VolumeRequest;
import io.fabric8.kubernetes.api.model.PersistentVolume;

import static java.util.Objects.requireNonNull;

/**
 * The {@link VmDiskStorage} bound when virtual machines are switched off: a compute backend can still be
 * created, but any attempt to place a VM disk fails with the reason.
 */
public final class DisabledVmDiskStorage implements VmDiskStorage {
    private final String reason;

    /** @param reason why there is no VM disk storage, for the error message */
    public DisabledVmDiskStorage(String reason) {
        this.reason = requireNonNull(reason, "reason is null");
    }

    @Override
    public PersistentVolume describeVolume(VolumeRequest request) {
        throw new IllegalStateException("no VM disk storage for " + request.volumeName() + ": " + reason);
    }

    @Override
    public String type() {
        return "none";
    }
}
