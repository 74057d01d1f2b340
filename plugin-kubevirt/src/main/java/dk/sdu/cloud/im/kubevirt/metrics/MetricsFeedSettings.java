package dk.sdu.cloud.im.kubevirt.metrics;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The bounds and timing of {@link WorkFolderMetricsFeed}.
 *
 * @param safetyInterval  how often a followed folder is read without a notification, for file systems that do not
 *                        notify (NFS); never fast polling
 * @param backlog         samples a new follower gets first, at most (UCloud: 256)
 * @param maxRingBytes    a ring file larger than this is refused unread
 * @param maxSummaryBytes a summary file larger than this is refused unread
 * @param notifications   whether to watch folders for changes (inotify); without, samples come with the safety reads
 */
public record MetricsFeedSettings(Duration safetyInterval, int backlog, long maxRingBytes, int maxSummaryBytes,
                                  boolean notifications) {
    /** UCloud's backlog, a safety read every 2 s, a ring up to 1 MiB (the agent writes 132 KiB), a summary up to 16 KiB. */
    public static final MetricsFeedSettings DEFAULTS =
            new MetricsFeedSettings(Duration.ofSeconds(2), 256, 1L << 20, 16 * 1024, true);

    /** The same without file-system notifications. */
    public MetricsFeedSettings withoutNotifications() {
        return new MetricsFeedSettings(safetyInterval, backlog, maxRingBytes, maxSummaryBytes, false);
    }

    public MetricsFeedSettings {
        requireNonNull(safetyInterval, "safetyInterval is null");
        if (safetyInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("safetyInterval under 100 ms would be polling: " + safetyInterval);
        }
        if (backlog < 0 || maxRingBytes < MetricsFileFormat.HEADER_SIZE || maxSummaryBytes < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
    }
}
