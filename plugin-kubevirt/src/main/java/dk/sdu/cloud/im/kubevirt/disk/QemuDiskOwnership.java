package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * {@code chown 107:107} where permitted. "Not permitted" is any refusal by the file system (EPERM as a
 * non-root IM, root squashing on NFS, a file system without owners); any other failure fails the disk.
 */
final class QemuDiskOwnership implements DiskOwnership {
    private static final Logger log = LoggerFactory.getLogger(QemuDiskOwnership.class);

    /** Changes a file's numeric owner; a seam for tests. */
    @FunctionalInterface
    interface Chown {
        void chown(Path file, int uid, int gid) throws IOException;

        static Chown files() {
            return (file, uid, gid) -> {
                Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(file, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            };
        }
    }

    private final Chown chown;
    private final AtomicBoolean toldOperator = new AtomicBoolean();

    QemuDiskOwnership(Chown chown) {
        this.chown = requireNonNull(chown, "chown is null");
    }

    @Override
    public void apply(Path disk) throws IOException {
        try {
            chown.chown(disk, QEMU_ID, QEMU_ID);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException | UnsupportedOperationException e) {
            if (toldOperator.compareAndSet(false, true)) {
                log.info("This IM may not chown disks to {}:{} ({}); disks keep the IM's owner, so KubeVirt's "
                        + "QEMU must be able to use them another way", QEMU_ID, QEMU_ID, e.getMessage());
            }
            log.debug("Skipped chown {}:{} of {}: {}", QEMU_ID, QEMU_ID, disk, e.getMessage());
        }
    }
}
