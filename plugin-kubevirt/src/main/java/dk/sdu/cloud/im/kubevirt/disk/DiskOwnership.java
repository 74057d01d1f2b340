package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Gives a finished job disk the owner KubeVirt needs. KubeVirt's virt-launcher runs QEMU as uid/gid 107
 * ({@code qemu}), and a PVC's {@code disk.img} must be readable and writable by it.
 */
@FunctionalInterface
public interface DiskOwnership {

    /** The uid and gid of QEMU inside virt-launcher. */
    int QEMU_ID = 107;

    /**
     * Applies the ownership to the disk file (not yet under its final name).
     *
     * @throws IOException when this must fail the preparation
     */
    void apply(Path disk) throws IOException;

    /**
     * {@code chown 107:107} where the IM may do so (as root); where it may not, the disk keeps the IM's
     * owner, with a debug log per disk and one info log per instance.
     */
    static DiskOwnership qemu() {
        return new QemuDiskOwnership(QemuDiskOwnership.Chown.files());
    }

    /** Leaves the owner as it is. */
    static DiskOwnership unchanged() {
        return disk -> { };
    }
}
