package dk.sdu.cloud.im.harness.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * An append-only file of numbered records, each on disk ({@link FileChannel#force}) before {@link #append}
 * returns. The job store writes each write here before it applies it to its database ({@link H2JobStore}).
 *
 * <p>The file is {@link #MAGIC}, one byte that says whether the store was closed ({@code C}) or is open or was
 * killed ({@code O}), then records: the length of what follows the checksum (4 bytes), a CRC32C of
 * it (4 bytes), the record's sequence number (8 bytes) and its payload. Numbers are big-endian. A record
 * is appended with one write, so a process killed while appending leaves at most one incomplete record, at
 * the end, that was never acknowledged. Opening the file stops at the first record that is incomplete or whose
 * checksum does not match, drops it and everything after it (the rest cannot be trusted once one record is
 * damaged) and logs what it dropped. An intact record out of sequence is not skipped but refused.
 *
 * <p>The journal holds an exclusive lock on its file while open: one process at a time. Not thread-safe: the
 * store appends under its write lock.
 */
final class WriteAheadJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadJournal.class);
    /** The file's first bytes: what it is, and the version of its format. */
    static final byte[] MAGIC = "IMJRNL01".getBytes(StandardCharsets.US_ASCII);
    private static final byte OPEN = 'O';
    private static final byte CLOSED = 'C';
    /** The magic and the open/closed byte. */
    static final int HEADER_BYTES = MAGIC.length + 1;
    /** Length and checksum. */
    private static final int FRAME_BYTES = 8;
    private static final int SEQUENCE_BYTES = 8;

    private final Path file;
    private final FileChannel channel;
    private final List<Entry> recovered;
    private final boolean closedCleanly;
    private long lastSequence;
    private String broken;

    /**
     * A record as read back.
     *
     * @param sequence its number
     * @param payload  what was appended
     */
    record Entry(long sequence, byte[] payload) {
        Entry {
            requireNonNull(payload, "payload is null");
        }
    }

    private WriteAheadJournal(Path file, FileChannel channel, Contents contents) {
        this.file = file;
        this.channel = channel;
        this.recovered = contents.entries();
        this.closedCleanly = contents.closedCleanly() && recovered.isEmpty();
        this.lastSequence = recovered.isEmpty() ? 0 : recovered.get(recovered.size() - 1).sequence();
    }

    /**
     * Opens the journal in {@code file}, creating it when missing, and reads its intact records (a damaged
     * tail is cut off the file).
     *
     * @throws JobStoreException when the file cannot be read or written, is not a journal, or holds intact
     *                           records out of sequence
     */
    static WriteAheadJournal open(Path file) {
        requireNonNull(file, "file is null");
        FileChannel channel = null;
        try {
            boolean created = !Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (!lock(channel)) {
                throw new JobStoreException("the job store journal " + file + " is in use by another store", null);
            }
            if (created) {
                // A new file is only there after a power loss when its folder's entry is on disk too.
                forceFolder(file);
            }
            return new WriteAheadJournal(file, channel, read(file, channel));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JobStoreException("cannot open the job store journal " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Takes the file's lock; false when another process, or another store of this JVM, holds it. */
    private static boolean lock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** What the file held: whether it says the store was closed, and its intact records. */
    private record Contents(boolean closedCleanly, List<Entry> entries) {
        Contents {
            entries = List.copyOf(entries);
        }
    }

    private static Contents read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > Integer.MAX_VALUE) {
            throw new JobStoreException("the job store journal " + file + " is larger than 2 GiB; it is"
                    + " emptied at 8 MiB, so it is not one this harness wrote", null);
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) size);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // read until full: a FileChannel may return fewer bytes than asked
        }
        bytes.flip();
        if (bytes.remaining() < HEADER_BYTES) {
            byte[] start = new byte[Math.min(bytes.remaining(), MAGIC.length)];
            bytes.get(start);
            if (!Arrays.equals(start, Arrays.copyOf(MAGIC, start.length))) {
                throw notAJournal(file);
            }
            // New, or killed before its first bytes were written: nothing was ever recorded in it, but nor does
            // it say that the store was closed.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Arrays.copyOf(MAGIC, HEADER_BYTES)).put(MAGIC.length, OPEN), 0);
            channel.force(false);
            return new Contents(false, List.of());
        }
        byte[] magic = new byte[MAGIC.length];
        bytes.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw notAJournal(file);
        }
        byte state = bytes.get();
        if (state != OPEN && state != CLOSED) {
            throw new JobStoreException("the job store journal " + file + " has an unknown state byte " + state
                    + " after its header", null);
        }
        List<Entry> entries = new ArrayList<>();
        String damage = null;
        while (bytes.hasRemaining()) {
            int start = bytes.position();
            if (bytes.remaining() < FRAME_BYTES + SEQUENCE_BYTES) {
                damage = "an incomplete record";
                break;
            }
            int length = bytes.getInt();
            int checksum = bytes.getInt();
            if (length < SEQUENCE_BYTES || length > bytes.remaining()) {
                damage = length > bytes.remaining() ? "an incomplete record" : "a record with a bad length";
                bytes.position(start);
                break;
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.array(), bytes.position(), length);
            if ((int) crc.getValue() != checksum) {
                damage = "a record whose checksum does not match";
                bytes.position(start);
                break;
            }
            long sequence = bytes.getLong();
            byte[] payload = new byte[length - SEQUENCE_BYTES];
            bytes.get(payload);
            if (!entries.isEmpty() && sequence != entries.get(entries.size() - 1).sequence() + 1) {
                throw new JobStoreException("the job store journal " + file + " holds record " + sequence
                        + " after record " + entries.get(entries.size() - 1).sequence() + " (offset " + start
                        + "); its records must be numbered without gaps", null);
            }
            entries.add(new Entry(sequence, payload));
        }
        if (damage != null) {
            long keep = bytes.position();
            LOG.warn("Job store journal {}: dropped {} bytes from offset {}, starting with {}, after {} intact"
                            + " records. A write cut short by a kill was never acknowledged; damage before the end"
                            + " of the file would have lost what followed it.",
                    file, size - keep, keep, damage, entries.size());
            channel.truncate(keep);
            channel.force(false);
        }
        return new Contents(state == CLOSED, entries);
    }

    private static JobStoreException notAJournal(Path file) {
        return new JobStoreException("the file " + file + " is not a job store journal of this harness (it does"
                + " not begin with " + new String(MAGIC, StandardCharsets.US_ASCII) + ")", null);
    }

    /** The intact records the file held when it was opened, in order. */
    List<Entry> recovered() {
        return recovered;
    }

    /** The sequence number of the last record appended or read; 0 when there was none. */
    long lastSequence() {
        return lastSequence;
    }

    /** The file's size in bytes. */
    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new JobStoreException("cannot read the size of the job store journal " + file, e);
        }
    }

    /** Whether the file holds no record. */
    boolean isEmpty() {
        return size() <= HEADER_BYTES;
    }

    /**
     * Whether the store was closed (by {@link #markClosed}) when the file was opened, rather than killed or
     * opened for the first time: then it holds no records and the database was closed cleanly.
     */
    boolean closedCleanly() {
        return closedCleanly;
    }

    /** Notes in the file that the store is open: until {@link #markClosed}, an open finds it was not closed. */
    void markOpen() {
        writeState(OPEN);
    }

    /** Empties the file of records and notes that the store was closed cleanly. */
    void markClosed() {
        truncate();
        writeState(CLOSED);
    }

    private void writeState(byte state) {
        ensureUsable();
        try {
            channel.write(ByteBuffer.wrap(new byte[]{state}), MAGIC.length);
            channel.force(false);
        } catch (IOException e) {
            throw new JobStoreException("cannot write to the job store journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** The journal's file. */
    Path file() {
        return file;
    }

    /**
     * Appends a record and forces it to disk before it returns.
     *
     * @param sequence the record's number: greater than every number before, and the next one when the file
     *                 holds records
     * @throws JobStoreException when the record cannot be written; nothing of it is left in the file then
     */
    void append(long sequence, byte[] payload) {
        append(sequence, payload, true);
    }

    /**
     * {@link #append(long, byte[])}; without {@code force} the record is written but not flushed to disk: a crash
     * may lose it (or cut it as a torn tail), and the next forced record flushes it with itself.
     */
    void append(long sequence, byte[] payload, boolean force) {
        requireNonNull(payload, "payload is null");
        ensureUsable();
        if (sequence <= lastSequence || (!isEmpty() && sequence != lastSequence + 1)) {
            throw new IllegalArgumentException("record " + sequence + " cannot follow record " + lastSequence);
        }
        ByteBuffer record = ByteBuffer.allocate(FRAME_BYTES + SEQUENCE_BYTES + payload.length);
        record.putInt(SEQUENCE_BYTES + payload.length);
        record.putInt(0);
        record.putLong(sequence);
        record.put(payload);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), FRAME_BYTES, SEQUENCE_BYTES + payload.length);
        record.putInt(4, (int) crc.getValue());
        record.flip();
        long start;
        try {
            start = channel.size();
        } catch (IOException e) {
            throw new JobStoreException("cannot append to the job store journal " + file + ": " + e.getMessage(), e);
        }
        try {
            while (record.hasRemaining()) {
                channel.write(record, start + record.position());
            }
            if (force) {
                channel.force(false);
            }
        } catch (IOException e) {
            cutBackTo(start, e);
            throw new JobStoreException("cannot append to the job store journal " + file + ": " + e.getMessage(), e);
        }
        lastSequence = sequence;
    }

    /** Empties the file of records (what they recorded is durable elsewhere); sequence numbers carry on. */
    void truncate() {
        ensureUsable();
        try {
            channel.truncate(HEADER_BYTES);
            channel.force(false);
        } catch (IOException e) {
            broken = "it could not be emptied: " + e.getMessage();
            throw new JobStoreException("cannot empty the job store journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Cuts the file back to {@code size}. When even that fails the journal takes no more records: one appended
     * after a torn record would be dropped with it at the next open.
     */
    private void cutBackTo(long size, IOException cause) {
        try {
            channel.truncate(size);
            channel.force(false);
        } catch (IOException e) {
            e.addSuppressed(cause);
            broken = "it could not be cut back to offset " + size + ": " + e.getMessage();
            LOG.error("Job store journal {}: {}; the store takes no more writes until it is reopened", file, broken, e);
        }
    }

    private void ensureUsable() {
        if (broken != null) {
            throw new JobStoreException("the job store journal " + file + " takes no more records: " + broken
                    + "; reopen the store", null);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("Job store journal {}: close failed: {}", file, e.getMessage());
        }
    }

    /** Forces the folder of {@code file}, so that the file's entry in it survives a power loss. */
    static void forceFolder(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null) {
            return;
        }
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing after a failure: the failure is what is reported
            }
        }
    }
}
