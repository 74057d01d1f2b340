package dk.sdu.cloud.im.agent.metrics;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * Writes the ring of samples (docs/metrics-format.md). A new ring is built complete under a temporary name and
 * renamed into place, so a reader never sees a half-made header; each sample then goes into its slot in one
 * positioned write, with a CRC32C that lets a reader tell a torn slot from a whole one.
 */
public final class RingWriter implements Closeable {
    private final FileChannel channel;
    private final int slots;
    private final int columns;
    private final ByteBuffer slot;
    private long sequence;

    private RingWriter(FileChannel channel, int slots, int columns) {
        this.channel = channel;
        this.slots = slots;
        this.columns = columns;
        this.slot = ByteBuffer.allocate(MetricsFormat.SLOT_HEADER_SIZE + columns * Double.BYTES);
    }

    /**
     * Replaces the ring in {@code folder} (created if missing) with a new, empty one.
     *
     * @param ringId  tells this ring from the one it replaces: readers start a new series when it changes
     * @param created when the ring was made, for people reading a dump
     */
    public static RingWriter create(Path folder, int slots, int columns, long ringId, Instant created)
            throws IOException {
        requireNonNull(folder, "folder is null");
        requireNonNull(created, "created is null");
        if (slots < 1 || columns < 1) {
            throw new IllegalArgumentException("a ring needs slots and columns, got " + slots + " and " + columns);
        }
        Files.createDirectories(folder);
        Path ring = folder.resolve(MetricsFormat.RING_FILE);
        Path temporary = folder.resolve(MetricsFormat.RING_FILE + MetricsFormat.TEMPORARY_SUFFIX);
        int slotSize = MetricsFormat.SLOT_HEADER_SIZE + columns * Double.BYTES;
        try (var out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(header(slotSize, slots, columns, ringId, created), 0);
            // Slots start as zeros: sequence 0 means never written.
            out.write(ByteBuffer.allocate(1), MetricsFormat.HEADER_SIZE + (long) slots * slotSize - 1);
            out.force(true);
        }
        Files.move(temporary, ring, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new RingWriter(FileChannel.open(ring, StandardOpenOption.WRITE), slots, columns);
    }

    static ByteBuffer header(int slotSize, int slots, int columns, long ringId, Instant created) {
        ByteBuffer header = ByteBuffer.allocate(MetricsFormat.HEADER_SIZE);
        header.putInt(MetricsFormat.MAGIC)
                .putShort((short) MetricsFormat.VERSION)
                .putShort((short) MetricsFormat.HEADER_SIZE)
                .putInt(slotSize)
                .putInt(slots)
                .putLong(ringId)
                .putLong(created.toEpochMilli())
                .putInt(columns);
        var crc = new CRC32C();
        crc.update(header.array(), 0, MetricsFormat.HEADER_CRC_COVERS);
        header.putInt((int) crc.getValue());
        header.clear();
        return header;
    }

    /** Writes the next sample; {@code row} has at most the ring's columns (missing ones are 0). */
    public synchronized void append(double[] row) throws IOException {
        if (row.length > columns) {
            throw new IllegalArgumentException("a row of " + row.length + " values in a ring of " + columns + " columns");
        }
        long next = sequence + 1;
        slot.clear();
        slot.putLong(next).putInt(columns * Double.BYTES).putInt(0);
        for (int i = 0; i < columns; i++) {
            slot.putDouble(i < row.length ? row[i] : 0);
        }
        var crc = new CRC32C();
        crc.update(slot.array(), 0, MetricsFormat.SLOT_CRC_COVERS);
        crc.update(slot.array(), MetricsFormat.SLOT_HEADER_SIZE, columns * Double.BYTES);
        slot.putInt(MetricsFormat.SLOT_CRC_COVERS, (int) crc.getValue());
        slot.flip();
        long position = MetricsFormat.HEADER_SIZE + ((next - 1) % slots) * (long) slot.capacity();
        while (slot.hasRemaining()) {
            position += channel.write(slot, position);
        }
        sequence = next;
    }

    /** The sequence number of the last sample written, 0 before the first. */
    public synchronized long lastSequence() {
        return sequence;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
