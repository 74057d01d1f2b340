package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.testdata.TestData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes rings for the reader's tests as docs/metrics-format.md lays them out (the guest's writer is in another
 * module; the golden file, {@link #golden()}, is what ties the two together).
 */
final class TestRing {
    final Path folder;
    final int slots;
    final int columns;
    private long sequence;

    private TestRing(Path folder, int slots, int columns) {
        this.folder = folder;
        this.slots = slots;
        this.columns = columns;
    }

    static byte[] golden() {
        try (InputStream in = TestData.open(TestData.METRICS_GOLDEN_RING)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code <work>/.ucloud-metrics/samples.ring} anew, empty, renamed into place as the guest does. */
    static TestRing create(Path work, int slots, int columns, long ringId) throws IOException {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Path temporary = folder.resolve("samples.ring.new");
        ByteBuffer file = ByteBuffer.allocate(MetricsFileFormat.HEADER_SIZE + slots * slotSize(columns));
        file.putInt(MetricsFileFormat.MAGIC).putShort((short) 1).putShort((short) MetricsFileFormat.HEADER_SIZE)
                .putInt(slotSize(columns)).putInt(slots).putLong(ringId).putLong(0).putInt(columns);
        var crc = new CRC32C();
        crc.update(file.array(), 0, MetricsFileFormat.HEADER_CRC_COVERS);
        file.putInt((int) crc.getValue());
        Files.write(temporary, file.array());
        Files.move(temporary, folder.resolve(MetricsFileFormat.RING_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        return new TestRing(folder, slots, columns);
    }

    static int slotSize(int columns) {
        return MetricsFileFormat.SLOT_HEADER_SIZE + columns * Double.BYTES;
    }

    Path file() {
        return folder.resolve(MetricsFileFormat.RING_FILE);
    }

    /** Appends a sample whose columns are {@code first}, {@code first + 1}, ...; returns its sequence number. */
    long append(double first) throws IOException {
        double[] values = new double[columns];
        for (int i = 0; i < columns; i++) {
            values[i] = first + i;
        }
        return append(values);
    }

    long append(double[] values) throws IOException {
        long next = ++sequence;
        ByteBuffer slot = ByteBuffer.allocate(slotSize(columns));
        slot.putLong(next).putInt(columns * Double.BYTES).putInt(0);
        for (double value : values) {
            slot.putDouble(value);
        }
        var crc = new CRC32C();
        crc.update(slot.array(), 0, MetricsFileFormat.SLOT_CRC_COVERS);
        crc.update(slot.array(), MetricsFileFormat.SLOT_HEADER_SIZE, columns * Double.BYTES);
        slot.putInt(MetricsFileFormat.SLOT_CRC_COVERS, (int) crc.getValue());
        slot.flip();
        try (var channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.write(slot, position(next));
        }
        return next;
    }

    /** Where sample {@code sequence}'s slot starts. */
    long position(long sequence) {
        return MetricsFileFormat.HEADER_SIZE + ((sequence - 1) % slots) * (long) slotSize(columns);
    }

    /** Flips a bit of one payload byte of sample {@code sequence}'s slot: what a torn write leaves. */
    void tear(long sequence) throws IOException {
        try (var channel = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = position(sequence) + MetricsFileFormat.SLOT_HEADER_SIZE + 3;
            channel.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x10)).position(0);
            channel.write(b, at);
        }
    }
}
