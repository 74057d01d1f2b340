package dk.sdu.cloud.im.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows and the summary from the fixtures: counters become rates over the time between two samples. */
class MetricsSamplerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final FileSystemUsage.Probe DISK = () -> new FileSystemUsage(3_000_000_000L, 10_000_000_000L);

    @Test
    void firstSampleHasNoRatesAndTheSecondHas() throws Exception {
        Map<String, String> files = ProcFixtures.machine(false);
        var sampler = new MetricsSampler(ProcFixtures.files(files), DISK);

        double[] first = sampler.sample(T0);
        assertThat(first).hasSize(MetricsFormat.COLUMNS);
        assertThat(first[MetricsFormat.COLUMN_TIME_MILLIS]).isEqualTo(T0.toEpochMilli());
        assertThat(first[MetricsFormat.COLUMN_CPU_PERCENT]).isZero();
        assertThat(first[MetricsFormat.COLUMN_MEMORY_USED]).isEqualTo((24683748L - 24201640L) * 1024);
        assertThat(first[MetricsFormat.COLUMN_MEMORY_TOTAL]).isEqualTo(24683748L * 1024);
        assertThat(first[MetricsFormat.COLUMN_CPU_LIMIT_PERCENT]).isEqualTo(200);
        assertThat(first[MetricsFormat.COLUMN_FS_USED]).isEqualTo(3_000_000_000L);
        assertThat(first[MetricsFormat.COLUMN_FS_TOTAL]).isEqualTo(10_000_000_000L);
        // eth0 carried traffic, ifb0 and ifb1 none: eth0 first, then the first idle one.
        assertThat(sampler.interfaces()).containsExactly("eth0", "ifb0");

        files.putAll(ProcFixtures.machine(true));
        files.put("/proc/net/dev", ProcFixtures.read("net-dev").replace("ifb0:       0", "ifb0:    2000")
                .replace(" 1044569 ", " 1045069 "));
        files.put("/proc/diskstats", ProcFixtures.read("diskstats").replace(" 3586922 ", " 3586926 "));
        double[] second = sampler.sample(T0.plusMillis(500));
        assertThat(second[MetricsFormat.COLUMN_CPU_PERCENT]).isCloseTo(100.0 * 2 * 7 / 211, within(1e-9));
        assertThat(second[MetricsFormat.COLUMN_NET_FIRST]).isZero();               // eth0 receive
        assertThat(second[MetricsFormat.COLUMN_NET_FIRST + 1]).isEqualTo(1000);    // eth0 transmit: 500 B in 0.5 s
        assertThat(second[MetricsFormat.COLUMN_NET_FIRST + 2]).isEqualTo(4000);    // ifb0 receive: 2000 B in 0.5 s
        assertThat(second[MetricsFormat.COLUMN_NET_FIRST + 3]).isZero();
        assertThat(second[MetricsFormat.COLUMN_DISK_READ]).isEqualTo(4 * 512 * 2);
        assertThat(second[MetricsFormat.COLUMN_DISK_WRITE]).isZero();
    }

    @Test
    void aCounterThatGoesBackGivesZeroNotANegativeRate() throws Exception {
        Map<String, String> files = ProcFixtures.machine(false);
        var sampler = new MetricsSampler(ProcFixtures.files(files), DISK);
        sampler.sample(T0);
        files.put("/proc/diskstats", ProcFixtures.read("diskstats").replace(" 3586922 ", " 1 "));
        assertThat(sampler.sample(T0.plusSeconds(1))[MetricsFormat.COLUMN_DISK_READ]).isZero();
    }

    @Test
    void aFileSystemThatCannotBeAskedShowsAsZero() throws Exception {
        var sampler = new MetricsSampler(ProcFixtures.files(ProcFixtures.machine(false)), () -> {
            throw new java.nio.file.NoSuchFileException("/");
        });
        double[] row = sampler.sample(T0);
        assertThat(row[MetricsFormat.COLUMN_FS_TOTAL]).isZero();
        assertThat(row[MetricsFormat.COLUMN_MEMORY_TOTAL]).isPositive();
    }

    @Test
    void summaryHasUCloudsKeysOnSingleLines() throws Exception {
        Map<String, String> files = ProcFixtures.machine(false);
        files.put("/proc/sys/kernel/osrelease", "6.1.0-test\nInjected:line\n");
        var addresses = List.of(InetAddress.getByName("fe80::1"), InetAddress.getByName("8.8.4.4"),
                InetAddress.getByName("10.0.2.15"));
        var summary = new SummaryCollector(ProcFixtures.files(files), DISK, () -> addresses).collect();
        assertThat(summary).containsEntry("OperatingSystem", "Debian GNU/Linux 12 (bookworm)")
                .containsEntry("KernelVersion", "6.1.0-test Injected:line")
                .containsEntry("PrivateIPAddress", "10.0.2.15")
                .containsEntry("Addresses", "fe80:0:0:0:0:0:0:1,8.8.4.4,10.0.2.15")
                .containsEntry("BootID", ProcFixtures.read("boot_id").trim())
                .containsEntry("CPUs", "2")
                .containsEntry("DiskTotal", "10000000000")
                .containsEntry("DiskUsed", "3000000000")
                .containsKeys("Uptime", "LoadAverage15m", "MemoryTotal");
        assertThat(SummaryCollector.text(summary)).startsWith("OperatingSystem:Debian GNU/Linux 12 (bookworm)\n")
                .doesNotContain("\nInjected");
    }

    @Test
    void aMissingFileLeavesItsKeyOut() {
        Map<String, String> files = ProcFixtures.machine(false);
        files.remove("/etc/os-release");
        var summary = new SummaryCollector(ProcFixtures.files(files), () -> {
            throw new java.io.IOException("no statfs");
        }, List::of).collect();
        assertThat(summary).doesNotContainKeys("OperatingSystem", "DiskTotal", "PrivateIPAddress").containsKey("KernelVersion");
    }
}
