package dk.sdu.cloud.im.agent.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a ring whole, for {@code vmagent metrics --dump} (people and the end-to-end test checking what a guest
 * wrote) and the tests. Not the integration module's reader, which has its own bounds and refusals; slots whose
 * CRC does not match are counted and left out.
 *
 * @param ringId  the ring's id
 * @param created when it was made
 * @param slots   slot count
 * @param columns values per row
 * @param rows    the whole rows, oldest first
 * @param torn    slots with a sequence number whose CRC does not match
 */
public record RingDump(long ringId, Instant created, int slots, int columns, List<Row> rows, int torn) {
    /** Refuses anything bigger: a dump is of a ring this service wrote, never more than a few hundred KiB. */
    static final long MAX_BYTES = 4L << 20;

    /** One sample. */
    public record Row(long sequence, double[] values) {
    }

    public RingDump {
        rows = List.copyOf(rows);
    }

    public static RingDump read(Path ring) throws IOException {
        long size = Files.size(ring);
        if (size > MAX_BYTES || size < MetricsFormat.HEADER_SIZE) {
            throw new IOException(ring + ": " + size + " bytes is not a metrics ring");
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(ring));
        if (file.getInt(0) != MetricsFormat.MAGIC || file.getShort(4) != MetricsFormat.VERSION) {
            throw new IOException(ring + ": not a metrics ring of version " + MetricsFormat.VERSION);
        }
        var headerCrc = new CRC32C();
        headerCrc.update(file.array(), 0, MetricsFormat.HEADER_CRC_COVERS);
        if ((int) headerCrc.getValue() != file.getInt(MetricsFormat.HEADER_CRC_COVERS)) {
            throw new IOException(ring + ": the header's CRC does not match");
        }
        int slotSize = file.getInt(8);
        int slots = file.getInt(12);
        if (slotSize < MetricsFormat.SLOT_HEADER_SIZE || slots < 1
                || MetricsFormat.HEADER_SIZE + (long) slots * slotSize != file.capacity()) {
            throw new IOException(ring + ": the header's slots do not fit the file");
        }
        List<Row> rows = new ArrayList<>();
        int torn = 0;
        for (int i = 0; i < slots; i++) {
            int at = MetricsFormat.HEADER_SIZE + i * slotSize;
            long sequence = file.getLong(at);
            int length = file.getInt(at + 8);
            if (sequence == 0) {
                continue;
            }
            var crc = new CRC32C();
            boolean fits = length >= 0 && length % Double.BYTES == 0 && length <= slotSize - MetricsFormat.SLOT_HEADER_SIZE;
            if (fits) {
                crc.update(file.array(), at, MetricsFormat.SLOT_CRC_COVERS);
                crc.update(file.array(), at + MetricsFormat.SLOT_HEADER_SIZE, length);
            }
            if (!fits || (int) crc.getValue() != file.getInt(at + MetricsFormat.SLOT_CRC_COVERS)) {
                torn++;
                continue;
            }
            double[] values = new double[length / Double.BYTES];
            for (int v = 0; v < values.length; v++) {
                values[v] = file.getDouble(at + MetricsFormat.SLOT_HEADER_SIZE + v * Double.BYTES);
            }
            rows.add(new Row(sequence, values));
        }
        rows.sort(Comparator.comparingLong(Row::sequence));
        return new RingDump(file.getLong(16), Instant.ofEpochMilli(file.getLong(24)), slots, file.getInt(32), rows, torn);
    }
}
