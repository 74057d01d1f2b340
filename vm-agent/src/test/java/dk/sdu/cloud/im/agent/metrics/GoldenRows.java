package dk.sdu.cloud.im.agent.metrics;

/** The rows of the golden ring: sample {@code i} at 2026-01-01T00:00:00Z + 250 ms * i, with recognisable values. */
final class GoldenRows {
    private GoldenRows() {
    }

    static double[] row(int i) {
        double[] row = new double[MetricsFormat.COLUMNS];
        row[MetricsFormat.COLUMN_TIME_MILLIS] = 1767225600000L + 250L * i;
        row[MetricsFormat.COLUMN_CPU_PERCENT] = 12.5 * i;
        row[MetricsFormat.COLUMN_MEMORY_USED] = 1_000_000L * i;
        row[MetricsFormat.COLUMN_NET_FIRST] = 1000 + i;
        row[MetricsFormat.COLUMN_NET_FIRST + 1] = 2000 + i;
        row[MetricsFormat.COLUMN_DISK_READ] = 4096.0 * i;
        row[MetricsFormat.COLUMN_DISK_WRITE] = 8192.0 * i;
        row[MetricsFormat.COLUMN_FS_USED] = 5_000_000_000L + i;
        row[MetricsFormat.COLUMN_FS_TOTAL] = 20_000_000_000L;
        row[MetricsFormat.COLUMN_CPU_LIMIT_PERCENT] = 200;
        row[MetricsFormat.COLUMN_MEMORY_TOTAL] = 2_147_483_648L;
        return row;
    }
}
