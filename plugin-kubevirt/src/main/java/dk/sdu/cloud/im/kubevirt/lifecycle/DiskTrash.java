package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Moves a terminated job's {@code disk.img} into the provider file system's trash staging area, as
 * {@code virtual-machine-job-<id>-disk-<random>.img} (the random part keeps two disks of one job apart). A job
 * without a disk is fine.
 */
final class DiskTrash {
    private static final Logger log = LoggerFactory.getLogger(DiskTrash.class);
    static final String DISK_FILE = "disk.img";

    private final ProviderFileSystem fileSystem;
    private final SecureRandom random;

    DiskTrash(ProviderFileSystem fileSystem, SecureRandom random) {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * Moves the disk of a job folder (relative to the mount point) to the trash, creating the trash folder when
     * it is missing.
     *
     * @return where the disk went; empty when there was none
     * @throws UncheckedIOException when it cannot be moved
     */
    Optional<Path> moveDisk(String jobId, String jobFolder) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(jobFolder, "jobFolder is null");
        Path disk = fileSystem.resolve(jobFolder).resolve(DISK_FILE);
        if (!Files.exists(disk, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] suffix = new byte[6];
        random.nextBytes(suffix);
        Path trash = fileSystem.trashStagingArea();
        Path target = trash.resolve("virtual-machine-job-" + jobId + "-disk-" + HexFormat.of().formatHex(suffix) + ".img");
        try {
            Files.createDirectories(trash);
            try {
                Files.move(disk, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException otherFileSystem) {
                Files.move(disk, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not move the disk of job " + jobId + " (" + disk + ") to the trash "
                    + trash + ": " + e, e);
        }
        log.info("Moved the disk of job {} to {}", jobId, target);
        return Optional.of(target);
    }
}
