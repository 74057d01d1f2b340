package dk.sdu.cloud.im.kubevirt.disk;

import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;

import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link DiskPreparer} works.
 *
 * @param imageCacheFolder    the golden image cache, absolute
 * @param workers             how many preparations run at once (each may download and run qemu-img)
 * @param maxQueued           how many more may wait; beyond that a request fails at once
 * @param responseTimeout     how long an image server may take to answer with headers
 * @param downloadIdleTimeout how long a download may deliver no bytes before it is aborted
 * @param staleTempAge        an unfinished download untouched for this long is a crash's leftover and is
 *                            deleted when the preparer opens; must exceed {@code downloadIdleTimeout}, since
 *                            another IM process may still be writing a younger one
 * @param qemuImgTimeouts     how long qemu-img calls may run
 * @param imageAddresses      which addresses images may be downloaded from
 */
public record DiskPreparerSettings(
        Path imageCacheFolder,
        int workers,
        int maxQueued,
        Duration responseTimeout,
        Duration downloadIdleTimeout,
        Duration staleTempAge,
        QemuImg.Timeouts qemuImgTimeouts,
        ImageAddressPolicy imageAddresses
) {
    public DiskPreparerSettings {
        requireNonNull(imageAddresses, "imageAddresses is null");
        requireNonNull(imageCacheFolder, "imageCacheFolder is null");
        requireNonNull(responseTimeout, "responseTimeout is null");
        requireNonNull(downloadIdleTimeout, "downloadIdleTimeout is null");
        requireNonNull(staleTempAge, "staleTempAge is null");
        requireNonNull(qemuImgTimeouts, "qemuImgTimeouts is null");
        if (!imageCacheFolder.isAbsolute()) {
            throw new IllegalArgumentException("imageCacheFolder must be absolute, got " + imageCacheFolder);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must not be negative, got " + maxQueued);
        }
        for (Duration d : new Duration[]{responseTimeout, downloadIdleTimeout, staleTempAge}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and ages must be positive, got " + d);
            }
        }
        if (staleTempAge.compareTo(downloadIdleTimeout) <= 0) {
            throw new IllegalArgumentException("staleTempAge (" + staleTempAge + ") must exceed downloadIdleTimeout ("
                    + downloadIdleTimeout + ")");
        }
    }

    /** Settings that download images only from public addresses ({@link ImageAddressPolicy#strict()}). */
    public DiskPreparerSettings(Path imageCacheFolder, int workers, int maxQueued, Duration responseTimeout,
                                Duration downloadIdleTimeout, Duration staleTempAge,
                                QemuImg.Timeouts qemuImgTimeouts) {
        this(imageCacheFolder, workers, maxQueued, responseTimeout, downloadIdleTimeout, staleTempAge,
                qemuImgTimeouts, ImageAddressPolicy.strict());
    }

    /**
     * Defaults: 2 workers, 1000 queued, 60 s to the response headers, 5 min without bytes, unfinished
     * downloads stale after 1 h, {@link QemuImg.Timeouts#defaults()}, images only from public addresses.
     */
    public static DiskPreparerSettings defaults(Path imageCacheFolder) {
        return new DiskPreparerSettings(imageCacheFolder, 2, 1000, Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofHours(1), QemuImg.Timeouts.defaults());
    }

    /** {@code <services.fileSystem.mountPoint>/<imageCacheFolder>}. */
    public static Path imageCacheFolder(ProviderFileSystem fileSystem, KubeVirtConfig config) {
        return fileSystem.resolve(config.imageCacheFolder()).toAbsolutePath().normalize();
    }

    /** The same settings with another number of workers. */
    public DiskPreparerSettings withWorkers(int newWorkers) {
        return new DiskPreparerSettings(imageCacheFolder, newWorkers, maxQueued, responseTimeout,
                downloadIdleTimeout, staleTempAge, qemuImgTimeouts, imageAddresses);
    }

    /** The same settings with another download idle timeout (and a stale age above it). */
    public DiskPreparerSettings withDownloadIdleTimeout(Duration idle) {
        Duration stale = staleTempAge.compareTo(idle) > 0 ? staleTempAge : idle.multipliedBy(2);
        return new DiskPreparerSettings(imageCacheFolder, workers, maxQueued, responseTimeout, idle, stale,
                qemuImgTimeouts, imageAddresses);
    }

    /** The same settings with another rule for the addresses images may come from. */
    public DiskPreparerSettings withImageAddresses(ImageAddressPolicy policy) {
        return new DiskPreparerSettings(imageCacheFolder, workers, maxQueued, responseTimeout, downloadIdleTimeout,
                staleTempAge, qemuImgTimeouts, policy);
    }
}
