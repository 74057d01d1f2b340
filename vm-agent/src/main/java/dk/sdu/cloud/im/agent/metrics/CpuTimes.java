package dk.sdu.cloud.im.agent.metrics;

/**
 * The machine's CPU time counters from {@code /proc/stat}, in clock ticks since boot.
 *
 * @param busy  ticks spent on anything but idling and waiting for I/O
 * @param total all ticks (busy, idle, iowait); guest time is already in user and nice, so it is not added again
 * @param cpus  the number of {@code cpuN} lines: online vCPUs
 */
public record CpuTimes(long busy, long total, int cpus) {

    /** Reads the aggregate {@code cpu} line and counts the per-CPU lines. */
    public static CpuTimes parse(String procStat) {
        long busy = -1;
        long total = 0;
        int cpus = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] fields = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal guest guest_nice
                long idle = 0;
                long sum = 0;
                for (int i = 1; i < fields.length && i <= 8; i++) {
                    long value = Long.parseLong(fields[i]);
                    sum += value;
                    if (i == 4 || i == 5) {
                        idle += value;
                    }
                }
                busy = sum - idle;
                total = sum;
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        if (busy < 0) {
            throw new IllegalArgumentException("/proc/stat has no aggregate cpu line");
        }
        return new CpuTimes(busy, total, Math.max(cpus, 1));
    }

    /** CPU use between an earlier reading and this one, 100 per busy vCPU; 0 when no tick passed. */
    public double percentSince(CpuTimes earlier) {
        long ticks = total - earlier.total;
        if (ticks <= 0) {
            return 0;
        }
        return 100.0 * cpus * (busy - earlier.busy) / ticks;
    }
}
