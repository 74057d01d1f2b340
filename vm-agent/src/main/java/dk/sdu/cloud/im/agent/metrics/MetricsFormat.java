package dk.sdu.cloud.im.agent.metrics;

/**
 * The constants of the metrics files (docs/metrics-format.md), the guest's copy. The integration module keeps its
 * own copy (the two modules share no code); both sides' tests read the same golden file, so the copies cannot drift
 * apart unnoticed.
 */
public final class MetricsFormat {
    /** The folder, relative to the work folder, that holds the files. */
    public static final String FOLDER = ".ucloud-metrics";
    /** The ring of samples. */
    public static final String RING_FILE = "samples.ring";
    /** The key-value summary, {@code Key:Value} lines. */
    public static final String SUMMARY_FILE = "summary";
    /** The suffix of a file being written, renamed onto its name when complete. */
    public static final String TEMPORARY_SUFFIX = ".new";

    /** "UCMR", big-endian, at offset 0. */
    public static final int MAGIC = 0x55434D52;
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 64;
    /** Bytes of the header covered by its CRC32C (stored right after them). */
    public static final int HEADER_CRC_COVERS = 36;
    /** Sequence number (8), payload length (4), CRC32C (4). */
    public static final int SLOT_HEADER_SIZE = 16;
    /** Bytes of a slot header covered, with the payload, by the slot's CRC32C. */
    public static final int SLOT_CRC_COVERS = 12;

    /** Columns of a row as this writer lays them out: UCloud's 64 columns of float64. */
    public static final int COLUMNS = 64;
    public static final int SLOT_SIZE = SLOT_HEADER_SIZE + COLUMNS * Double.BYTES;
    /** Slots of the ring the service writes: 64 s of samples at 4 a second. */
    public static final int SLOTS = 256;

    // Columns 0-6 are UCloud's (time, CPU, memory, two interfaces); 7-38 are UCloud's GPU columns, unused here.
    public static final int COLUMN_TIME_MILLIS = 0;
    public static final int COLUMN_CPU_PERCENT = 1;
    public static final int COLUMN_MEMORY_USED = 2;
    /** Receive bytes/s of interface {@code i} (0 or 1) is at {@code COLUMN_NET_FIRST + 2i}, transmit right after. */
    public static final int COLUMN_NET_FIRST = 3;
    public static final int NET_INTERFACES = 2;
    public static final int COLUMN_DISK_READ = 39;
    public static final int COLUMN_DISK_WRITE = 40;
    public static final int COLUMN_FS_USED = 41;
    public static final int COLUMN_FS_TOTAL = 42;
    /** 100 per vCPU: the top of the CPU chart. */
    public static final int COLUMN_CPU_LIMIT_PERCENT = 43;
    public static final int COLUMN_MEMORY_TOTAL = 44;

    private MetricsFormat() {
    }
}
