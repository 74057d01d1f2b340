package dk.sdu.cloud.im.kubevirt.metrics;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A ring's header, checked: magic, version, CRC32C, and slots that fit the file and the bounds.
 *
 * @param ringId   tells a ring from the one it replaced
 * @param slotSize bytes per slot
 * @param slots    slot count
 */
record RingHeader(long ringId, int slotSize, int slots) {

    /** The file size the header stands for. */
    long fileSize() {
        return MetricsFileFormat.HEADER_SIZE + (long) slots * slotSize;
    }

    /** Where slot {@code index} starts. */
    long slotPosition(int index) {
        return MetricsFileFormat.HEADER_SIZE + (long) index * slotSize;
    }

    /** The slot that holds sequence number {@code sequence} (from 1). */
    int slotOf(long sequence) {
        return (int) ((sequence - 1) % slots);
    }

    /**
     * Reads a header from the first {@link MetricsFileFormat#HEADER_SIZE} bytes of a file of {@code fileSize} bytes.
     *
     * @throws MetricsFileException naming what is wrong
     */
    static RingHeader parse(ByteBuffer bytes, long fileSize, long maxBytes) throws MetricsFileException {
        if (bytes.remaining() < MetricsFileFormat.HEADER_SIZE) {
            throw new MetricsFileException("shorter than a header");
        }
        int start = bytes.position();
        if (bytes.getInt(start) != MetricsFileFormat.MAGIC) {
            throw new MetricsFileException("wrong magic");
        }
        var crc = new CRC32C();
        crc.update(bytes.duplicate().position(start).limit(start + MetricsFileFormat.HEADER_CRC_COVERS));
        if ((int) crc.getValue() != bytes.getInt(start + MetricsFileFormat.HEADER_CRC_COVERS)) {
            throw new MetricsFileException("header CRC mismatch");
        }
        if (bytes.getShort(start + 4) != MetricsFileFormat.VERSION
                || bytes.getShort(start + 6) != MetricsFileFormat.HEADER_SIZE) {
            throw new MetricsFileException("unknown version " + bytes.getShort(start + 4));
        }
        int slotSize = bytes.getInt(start + 8);
        int slots = bytes.getInt(start + 12);
        long ringId = bytes.getLong(start + 16);
        int payload = slotSize - MetricsFileFormat.SLOT_HEADER_SIZE;
        if (payload < Double.BYTES || payload % Double.BYTES != 0 || payload / Double.BYTES > MetricsFileFormat.MAX_COLUMNS) {
            throw new MetricsFileException("slot size " + slotSize + " out of bounds");
        }
        if (slots < 1 || slots > MetricsFileFormat.MAX_SLOTS) {
            throw new MetricsFileException("slot count " + slots + " out of bounds");
        }
        var header = new RingHeader(ringId, slotSize, slots);
        if (header.fileSize() > maxBytes) {
            throw new MetricsFileException("declares " + header.fileSize() + " bytes, more than " + maxBytes);
        }
        if (header.fileSize() != fileSize) {
            throw new MetricsFileException("declares " + header.fileSize() + " bytes but has " + fileSize);
        }
        return header;
    }
}
