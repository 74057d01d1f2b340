package dk.sdu.cloud.im.kubevirt.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * A job's metrics folder, opened for reading the way a folder the guest controls must be: the folder and each file
 * are opened relative to their parent's open descriptor ({@link SecureDirectoryStream}, i.e. {@code openat}) and
 * never through a symbolic link, so a guest that puts a link there cannot make the IM read a host file; only
 * regular files are opened (a FIFO would block the reader, a device could be anything), and only when their size
 * is within the bound.
 *
 * <p>What remains: a guest can swap a checked regular file for a FIFO between the check and the open, and the open
 * then blocks until something writes the FIFO. That stalls this one folder's reader thread, no other job's.
 */
final class MetricsFolder implements Closeable {
    private static final Path RING = Path.of(MetricsFileFormat.RING_FILE);
    private static final Path SUMMARY = Path.of(MetricsFileFormat.SUMMARY_FILE);

    private final SecureDirectoryStream<Path> work;
    private final SecureDirectoryStream<Path> folder;

    private MetricsFolder(SecureDirectoryStream<Path> work, SecureDirectoryStream<Path> folder) {
        this.work = work;
        this.folder = folder;
    }

    /**
     * Opens {@code <workFolder>/.ucloud-metrics}; empty when it is not there yet.
     *
     * @throws MetricsFileException when it is there but not a folder (a link, a file)
     */
    static Optional<MetricsFolder> open(Path workFolder) throws IOException, MetricsFileException {
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(workFolder);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!(stream instanceof SecureDirectoryStream<Path> work)) {
            stream.close();
            throw new MetricsFileException("this platform cannot open files relative to a folder; not reading");
        }
        try {
            BasicFileAttributes attributes = attributes(work, Path.of(MetricsFileFormat.FOLDER));
            if (attributes == null) {
                work.close();
                return Optional.empty();
            }
            if (!attributes.isDirectory()) {
                throw new MetricsFileException(MetricsFileFormat.FOLDER + " is not a folder (a link or a file)");
            }
            // O_NOFOLLOW: a link swapped in since the check fails here instead of being followed.
            return Optional.of(new MetricsFolder(work,
                    work.newDirectoryStream(Path.of(MetricsFileFormat.FOLDER), LinkOption.NOFOLLOW_LINKS)));
        } catch (IOException | MetricsFileException | RuntimeException e) {
            work.close();
            throw e;
        }
    }

    /** What tells one version of a file from another without reading it. */
    record Stamp(Object fileKey, long size, long modifiedNanos) {
    }

    /** The summary's stamp, empty when there is none; refused when it is not a regular file within the bound. */
    Optional<Stamp> summaryStamp(int maxBytes) throws IOException, MetricsFileException {
        BasicFileAttributes attributes = regular(SUMMARY, maxBytes);
        return attributes == null ? Optional.empty() : Optional.of(new Stamp(attributes.fileKey(), attributes.size(),
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
    }

    /** The summary's bytes (at most {@code maxBytes}), empty when there is none. */
    Optional<byte[]> readSummary(int maxBytes) throws IOException, MetricsFileException {
        if (regular(SUMMARY, maxBytes) == null) {
            return Optional.empty();
        }
        try (SeekableByteChannel channel = openRegular(SUMMARY)) {
            // One byte more than the bound tells a file that grew past it since the check.
            ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading
            }
            if (buffer.position() > maxBytes) {
                throw new MetricsFileException(MetricsFileFormat.SUMMARY_FILE + " is over " + maxBytes + " bytes");
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return Optional.of(bytes);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Opens the ring for reading; empty when there is none. The caller closes the reader's channel via the result. */
    Optional<OpenRing> openRing(long maxBytes) throws IOException, MetricsFileException {
        BasicFileAttributes attributes = regular(RING, maxBytes);
        if (attributes == null) {
            return Optional.empty();
        }
        SeekableByteChannel channel;
        try {
            channel = openRegular(RING);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            long size = channel.size();
            if (size > maxBytes) {
                throw new MetricsFileException(MetricsFileFormat.RING_FILE + " is over " + maxBytes + " bytes");
            }
            return Optional.of(new OpenRing(channel, RingReader.open(channel, size, maxBytes)));
        } catch (IOException | MetricsFileException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** An open ring: its reader, and the channel to close. */
    record OpenRing(SeekableByteChannel channel, RingReader reader) implements Closeable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private SeekableByteChannel openRegular(Path name) throws IOException {
        return folder.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    // null when missing; refused when not a regular file or bigger than the bound.
    private BasicFileAttributes regular(Path name, long maxBytes) throws IOException, MetricsFileException {
        BasicFileAttributes attributes = attributes(folder, name);
        if (attributes == null) {
            return null;
        }
        if (!attributes.isRegularFile()) {
            throw new MetricsFileException(name + " is not a regular file");
        }
        if (attributes.size() > maxBytes) {
            throw new MetricsFileException(name + " is " + attributes.size() + " bytes, over the bound of " + maxBytes);
        }
        return attributes;
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> directory, Path name) throws IOException {
        try {
            return directory.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            folder.close();
        } finally {
            work.close();
        }
    }
}
