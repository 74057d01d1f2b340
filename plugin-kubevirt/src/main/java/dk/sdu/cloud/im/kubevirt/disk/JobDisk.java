package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Makes a job's {@code disk.img} from a golden image: a hidden temporary file in the job folder made at
 * the requested size (sparse), the image converted into it ({@code qemu-img convert -n}, with direct I/O where
 * the file system allows it), owner and mode, a force to disk, then a rename to {@code disk.img}. So
 * {@code disk.img} exists only when complete, and an existing one is never touched.
 */
final class JobDisk {
    private static final Logger log = LoggerFactory.getLogger(JobDisk.class);

    /** The file KubeVirt uses in the root of a Filesystem-mode PVC. */
    static final String DISK_FILE = "disk.img";
    static final String TEMP_PREFIX = "." + DISK_FILE + ".";
    static final String TEMP_SUFFIX = ".partial";
    private static final long GIB = 1L << 30;

    private final QemuImg qemuImg;
    private final DiskOwnership ownership;

    JobDisk(QemuImg qemuImg, DiskOwnership ownership) {
        this.qemuImg = requireNonNull(qemuImg, "qemuImg is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
    }

    /**
     * The disk, when the job already has one.
     *
     * @throws DiskPreparationException when the job folder or {@code disk.img} is something else than a
     *                                  folder and a regular file (e.g. a symbolic link)
     */
    Optional<Path> existing(DiskPreparationRequest request) {
        Path folder = request.jobFolder();
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new DiskPreparationException("the job folder " + folder + " is not a folder (or is a symbolic link)");
        }
        Path disk = request.diskPath();
        if (!Files.exists(disk, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(disk, LinkOption.NOFOLLOW_LINKS)) {
            throw new DiskPreparationException(disk + " exists but is not a regular file (a symbolic link or a "
                    + "folder); remove it to have the disk made");
        }
        return Optional.of(disk);
    }

    /**
     * Makes the disk. The caller has checked {@link #existing} and is the only one making this job's disk in
     * this process.
     */
    Path make(DiskPreparationRequest request, GoldenImage golden, ProgressFanout.Sink<DiskPreparationEvent> progress,
              BooleanSupplier cancelled) throws IOException {
        long requested = request.sizeGiB() * GIB;
        if (golden.virtualSize() > requested) {
            long needed = (golden.virtualSize() + GIB - 1) / GIB;
            throw new DiskPreparationException("the image of " + request.imageKey() + " is a disk of "
                    + golden.virtualSize() + " bytes (" + needed + " GiB), larger than the requested "
                    + request.sizeGiB() + " GiB; disks are never shrunk, so ask for at least " + needed + " GiB");
        }
        checkNotCancelled(cancelled);
        Path folder = request.jobFolder();
        Files.createDirectories(folder);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new DiskPreparationException("the job folder " + folder + " is not a folder (or is a symbolic link)");
        }
        deleteUnfinished(folder);
        Path disk = request.diskPath();
        Path temp = Files.createTempFile(folder, TEMP_PREFIX, TEMP_SUFFIX);
        boolean placed = false;
        try {
            String jobId = request.jobId();
            progress.accept(DiskPreparationEvent.converting(jobId, 0));
            int[] reported = {0};
            IntConsumer percents = percent -> {
                if (percent > reported[0]) {
                    reported[0] = percent;
                    progress.accept(DiskPreparationEvent.converting(jobId, percent));
                }
            };
            sizeEmpty(temp, requested);
            try {
                qemuImg.convertIntoRaw(golden.file(), golden.format(), temp, QemuImg.TargetCache.DIRECT, percents);
            } catch (CommandFailedException e) {
                if (!QemuImg.refusedDirectIo(e)) {
                    throw e;
                }
                checkNotCancelled(cancelled);
                log.info("The file system of {} refuses direct I/O ({}); converting through the page cache", folder,
                        e.getMessage());
                sizeEmpty(temp, requested);   // all zeros again, whatever the first attempt wrote
                qemuImg.convertIntoRaw(golden.file(), golden.format(), temp, QemuImg.TargetCache.CACHED, percents);
            }
            checkNotCancelled(cancelled);
            progress.accept(DiskPreparationEvent.resizing(jobId, request.sizeGiB()));
            // A raw disk's size is its file's size; qemu-img writes into the file, and must not have grown it.
            long made = Files.size(temp);
            if (made != requested) {
                throw new DiskPreparationException("qemu-img made a disk of " + made + " bytes instead of "
                        + requested + " bytes");
            }
            ownership.apply(temp);
            setMode(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                // The rename below must never publish a disk whose data is still only in the page cache.
                channel.force(true);
            }
            checkNotCancelled(cancelled);
            if (Files.exists(disk, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("{} appeared while it was being made; keeping the one in place", disk);
                return disk;
            }
            Files.move(temp, disk, StandardCopyOption.ATOMIC_MOVE);
            placed = true;
            log.info("Made {} ({} GiB) from {}", disk, request.sizeGiB(), golden.file());
            return disk;
        } finally {
            if (!placed) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Makes {@code file} an empty sparse file of {@code size} bytes: all zeros, nothing allocated, as the
     * convert into it requires ({@code --target-is-zero}).
     */
    private static void sizeEmpty(Path file, long size) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(0);
            raw.setLength(size);   // ftruncate: a hole, nothing written
        }
    }

    /** Leftovers of a preparation that was killed; only one preparation per job runs, so all are stale. */
    private static void deleteUnfinished(Path folder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder,
                TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(entry);
                    log.info("Deleted the unfinished disk {}", entry);
                }
            }
        }
    }

    private static void setMode(Path disk) throws IOException {
        try {
            Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-rw----"));
        } catch (UnsupportedOperationException e) {
            log.debug("{} has no POSIX permissions; leaving them as they are", disk);
        }
    }

    private static void checkNotCancelled(BooleanSupplier cancelled) throws InterruptedIOException {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("cancelled while making the disk");
        }
    }
}
