package dk.sdu.cloud.im.kubevirt.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads samples out of an open ring, slot by slot, never more than the header's slots (which {@link RingHeader}
 * bounds). A slot whose CRC does not match (torn: the guest crashed mid-write, or this read raced the write) is
 * skipped; it is read again later if nothing after it was written yet.
 */
final class RingReader {
    /** Sequence numbers above this are not a writer's (2^53 samples at 4 a second is 70 million years). */
    static final long MAX_SEQUENCE = 1L << 53;

    private final SeekableByteChannel channel;
    private final RingHeader header;
    private final ByteBuffer slot;

    private RingReader(SeekableByteChannel channel, RingHeader header) {
        this.channel = channel;
        this.header = header;
        this.slot = ByteBuffer.allocate(header.slotSize());
    }

    /** Reads and checks the header of a ring file of {@code size} bytes. */
    static RingReader open(SeekableByteChannel channel, long size, long maxBytes)
            throws IOException, MetricsFileException {
        if (size < MetricsFileFormat.HEADER_SIZE) {
            throw new MetricsFileException(size + " bytes, shorter than a header");
        }
        ByteBuffer bytes = ByteBuffer.allocate(MetricsFileFormat.HEADER_SIZE);
        readFully(channel, bytes, 0);
        bytes.flip();
        return new RingReader(channel, RingHeader.parse(bytes, size, maxBytes));
    }

    RingHeader header() {
        return header;
    }

    /** Every whole sample, oldest first. */
    List<Sample> all() throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < header.slots(); i++) {
            Slot read = read(i);
            if (read.sample() != null) {
                samples.add(read.sample());
            }
        }
        samples.sort(Comparator.comparingLong(Sample::sequence));
        return samples;
    }

    /**
     * The whole samples from sequence number {@code next} on, oldest first: usually a few slots' reads. When the
     * writer has lapped the reader (a slot holds a later sample than expected) the ring is read whole.
     */
    List<Sample> from(long next) throws IOException {
        List<Sample> samples = new ArrayList<>();
        long probe = next;
        for (int n = 0; n < header.slots(); n++, probe++) {
            Slot read = read(header.slotOf(probe));
            if (read.torn()) {
                continue;
            }
            if (read.sample() == null || read.sample().sequence() < probe) {
                break;
            }
            if (read.sample().sequence() > probe) {
                return all().stream().filter(s -> s.sequence() >= next).toList();
            }
            samples.add(read.sample());
        }
        return samples;
    }

    private record Slot(Sample sample, boolean torn) {
    }

    private Slot read(int index) throws IOException {
        slot.clear();
        readFully(channel, slot, header.slotPosition(index));
        if (slot.position() < slot.capacity()) {
            return new Slot(null, true);
        }
        long sequence = slot.getLong(0);
        int length = slot.getInt(8);
        if (sequence == 0) {
            return new Slot(null, false);
        }
        if (sequence < 0 || sequence > MAX_SEQUENCE || length < 0 || length % Double.BYTES != 0
                || length > header.slotSize() - MetricsFileFormat.SLOT_HEADER_SIZE) {
            return new Slot(null, true);
        }
        var crc = new CRC32C();
        crc.update(slot.array(), 0, MetricsFileFormat.SLOT_CRC_COVERS);
        crc.update(slot.array(), MetricsFileFormat.SLOT_HEADER_SIZE, length);
        if ((int) crc.getValue() != slot.getInt(MetricsFileFormat.SLOT_CRC_COVERS)) {
            return new Slot(null, true);
        }
        double[] values = new double[length / Double.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = slot.getDouble(MetricsFileFormat.SLOT_HEADER_SIZE + i * Double.BYTES);
        }
        return new Slot(new Sample(sequence, values), false);
    }

    // Reads until the buffer is full or the file ends (a file that shrank under us: the slot counts as torn).
    private static void readFully(SeekableByteChannel channel, ByteBuffer buffer, long position) throws IOException {
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return;
            }
        }
    }
}
