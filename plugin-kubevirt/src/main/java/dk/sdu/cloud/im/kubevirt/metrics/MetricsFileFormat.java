package dk.sdu.cloud.im.kubevirt.metrics;

/**
 * The constants of the guest's metrics files (docs/metrics-format.md), the integration module's copy. The agent
 * keeps its own (the modules share no code); both sides' tests read the same golden ring (testdata
 * {@code metrics/golden.ring}), written by the agent's writer.
 */
final class MetricsFileFormat {
    static final String FOLDER = ".ucloud-metrics";
    static final String RING_FILE = "samples.ring";
    static final String SUMMARY_FILE = "summary";

    static final int MAGIC = 0x55434D52;
    static final int VERSION = 1;
    static final int HEADER_SIZE = 64;
    static final int HEADER_CRC_COVERS = 36;
    static final int SLOT_HEADER_SIZE = 16;
    static final int SLOT_CRC_COVERS = 12;

    /** Most columns a slot may declare: a slot is at most 16 + 8 * 128 bytes. */
    static final int MAX_COLUMNS = 128;
    /** Most slots a ring may declare. */
    static final int MAX_SLOTS = 4096;

    static final int COLUMN_CPU_PERCENT = 1;
    static final int COLUMN_MEMORY_USED = 2;
    static final int COLUMN_NET_FIRST = 3;
    static final int NET_INTERFACES = 2;
    static final int COLUMN_DISK_READ = 39;
    static final int COLUMN_DISK_WRITE = 40;
    static final int COLUMN_FS_USED = 41;
    static final int COLUMN_FS_TOTAL = 42;
    static final int COLUMN_CPU_LIMIT_PERCENT = 43;
    static final int COLUMN_MEMORY_TOTAL = 44;

    private MetricsFileFormat() {
    }
}
