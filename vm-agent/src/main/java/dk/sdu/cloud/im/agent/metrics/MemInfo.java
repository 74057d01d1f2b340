package dk.sdu.cloud.im.agent.metrics;

/**
 * Memory from {@code /proc/meminfo}, in bytes.
 *
 * @param total     {@code MemTotal}
 * @param available {@code MemAvailable}: what programs could still get without swapping
 */
public record MemInfo(long total, long available) {

    public static MemInfo parse(String procMeminfo) {
        long total = -1;
        long available = -1;
        for (String line : procMeminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                total = kibibytes(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kibibytes(line);
            }
        }
        if (total < 0 || available < 0) {
            throw new IllegalArgumentException("/proc/meminfo lacks MemTotal or MemAvailable");
        }
        return new MemInfo(total, available);
    }

    /** Used as {@code free} counts it: what is not available. */
    public long used() {
        return Math.max(0, total - available);
    }

    private static long kibibytes(String line) {
        String[] fields = line.trim().split("\\s+");
        long value = Long.parseLong(fields[1]);
        return fields.length > 2 && fields[2].equals("kB") ? value * 1024 : value;
    }
}
