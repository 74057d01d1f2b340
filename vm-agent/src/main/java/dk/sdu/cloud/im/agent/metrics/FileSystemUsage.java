package dk.sdu.cloud.im.agent.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How full a file system is, in bytes, as {@code df} counts it: used is total minus free blocks.
 *
 * @param used  bytes in use
 * @param total the file system's size
 */
public record FileSystemUsage(long used, long total) {

    /** Reads a file system's usage: statfs of a path on it. */
    @FunctionalInterface
    public interface Probe {
        FileSystemUsage read() throws IOException;
    }

    /** The usage of the file system that holds {@code path}, through Java's {@code FileStore} (statfs). */
    public static Probe of(Path path) {
        return () -> {
            var store = Files.getFileStore(path);
            long total = store.getTotalSpace();
            return new FileSystemUsage(Math.max(0, total - store.getUnallocatedSpace()), total);
        };
    }
}
