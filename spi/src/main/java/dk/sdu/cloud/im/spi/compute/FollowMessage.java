package dk.sdu.cloud.im.spi.compute;

/**
 * One item of a job's follow stream (UCloud's {@code JobLogMessage}): a log line or a data packet on a channel.
 *
 * @param rank    the machine of the job it comes from, from 0
 * @param stdout  text on the machine's standard output (or the channel's payload), or null
 * @param stderr  text on its standard error, or null
 * @param channel null for plain log output; otherwise UCloud's channel name, e.g. {@code utilization-data},
 *                {@code utilization-data-reset}, {@code kv} or {@code ui}
 */
public record FollowMessage(int rank, String stdout, String stderr, String channel) {
    public FollowMessage {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be 0 or more, got " + rank);
        }
        if (stdout == null && stderr == null && channel == null) {
            throw new IllegalArgumentException("a follow message carries stdout, stderr or a channel");
        }
    }

    /** A line of plain log output. */
    public static FollowMessage stdout(int rank, String text) {
        return new FollowMessage(rank, text, null, null);
    }

    /** A packet on a channel. */
    public static FollowMessage onChannel(int rank, String channel, String payload) {
        return new FollowMessage(rank, payload, null, java.util.Objects.requireNonNull(channel, "channel is null"));
    }
}
