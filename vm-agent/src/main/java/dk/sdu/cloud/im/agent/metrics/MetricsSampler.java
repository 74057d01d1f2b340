package dk.sdu.cloud.im.agent.metrics;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns readings of {@code /proc} and statfs into rows (docs/metrics-format.md, columns): counters become rates
 * over the time since the previous sample, so the first sample's rates are 0. The two interfaces charted are chosen
 * at the first sample (the first non-loopback ones that carried traffic, then idle ones) and kept for the ring's
 * lifetime, so that a column keeps its meaning.
 * Not thread-safe: one scheduler thread calls it.
 */
public final class MetricsSampler {
    private final ProcFiles files;
    private final FileSystemUsage.Probe fileSystem;
    private Instant previousTime;
    private CpuTimes previousCpu;
    private NetDev previousNet;
    private DiskStats previousDisk;
    private List<String> interfaces;

    public MetricsSampler(ProcFiles files, FileSystemUsage.Probe fileSystem) {
        this.files = requireNonNull(files, "files is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    /** The interfaces whose traffic is in the network columns, in column order (known after the first sample). */
    public List<String> interfaces() {
        return interfaces == null ? List.of() : interfaces;
    }

    /** One row of {@link MetricsFormat#COLUMNS} values, taken at {@code now}. */
    public double[] sample(Instant now) throws IOException {
        var cpu = CpuTimes.parse(files.read("/proc/stat"));
        var memory = MemInfo.parse(files.read("/proc/meminfo"));
        var net = NetDev.parse(files.read("/proc/net/dev"));
        var disk = DiskStats.parse(files.read("/proc/diskstats"));
        FileSystemUsage fs;
        try {
            fs = fileSystem.read();
        } catch (IOException e) {
            // A file system that cannot be asked (gone, or not yet there) shows as 0, not as a service that stops.
            fs = new FileSystemUsage(0, 0);
        }
        if (interfaces == null) {
            // Interfaces that carried traffic already (a guest's NIC has, after DHCP) go before idle ones (ifb, dummy).
            List<String> ordered = new ArrayList<>();
            net.interfaces().forEach((name, c) -> {
                if (c.received() + c.transmitted() > 0) {
                    ordered.add(name);
                }
            });
            net.interfaces().keySet().stream().filter(name -> !ordered.contains(name)).forEach(ordered::add);
            interfaces = List.copyOf(ordered.subList(0, Math.min(MetricsFormat.NET_INTERFACES, ordered.size())));
        }

        double[] row = new double[MetricsFormat.COLUMNS];
        row[MetricsFormat.COLUMN_TIME_MILLIS] = now.toEpochMilli();
        row[MetricsFormat.COLUMN_MEMORY_USED] = memory.used();
        row[MetricsFormat.COLUMN_MEMORY_TOTAL] = memory.total();
        row[MetricsFormat.COLUMN_CPU_LIMIT_PERCENT] = 100.0 * cpu.cpus();
        row[MetricsFormat.COLUMN_FS_USED] = fs.used();
        row[MetricsFormat.COLUMN_FS_TOTAL] = fs.total();
        if (previousTime != null) {
            double seconds = Duration.between(previousTime, now).toNanos() / 1e9;
            row[MetricsFormat.COLUMN_CPU_PERCENT] = cpu.percentSince(previousCpu);
            if (seconds > 0) {
                for (int i = 0; i < interfaces.size(); i++) {
                    var before = previousNet.interfaces().get(interfaces.get(i));
                    var after = net.interfaces().get(interfaces.get(i));
                    if (before != null && after != null) {
                        row[MetricsFormat.COLUMN_NET_FIRST + 2 * i] = rate(before.received(), after.received(), seconds);
                        row[MetricsFormat.COLUMN_NET_FIRST + 2 * i + 1] =
                                rate(before.transmitted(), after.transmitted(), seconds);
                    }
                }
                row[MetricsFormat.COLUMN_DISK_READ] = rate(previousDisk.read(), disk.read(), seconds);
                row[MetricsFormat.COLUMN_DISK_WRITE] = rate(previousDisk.written(), disk.written(), seconds);
            }
        }
        previousTime = now;
        previousCpu = cpu;
        previousNet = net;
        previousDisk = disk;
        return row;
    }

    // A counter that went backwards (an interface re-created) gives 0, not a negative rate.
    private static double rate(long before, long after, double seconds) {
        return Math.max(0, after - before) / seconds;
    }
}
