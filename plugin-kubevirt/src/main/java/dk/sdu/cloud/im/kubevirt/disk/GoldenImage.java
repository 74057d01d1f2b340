package dk.sdu.cloud.im.kubevirt.disk;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A complete, checked image in the golden image cache.
 *
 * @param file        the cached file
 * @param format      its format as qemu-img detected it
 * @param virtualSize the size of the disk it describes, in bytes
 */
record GoldenImage(Path file, String format, long virtualSize) {
    GoldenImage {
        requireNonNull(file, "file is null");
        requireNonNull(format, "format is null");
    }
}
