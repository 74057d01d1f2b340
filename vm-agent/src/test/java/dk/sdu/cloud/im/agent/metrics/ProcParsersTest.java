package dk.sdu.cloud.im.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The {@code /proc} parsers on real files of a 2-vCPU machine and on hand-made edge cases. */
class ProcParsersTest {

    @Test
    void cpuTimesReadTheAggregateLineAndCountTheCpus() {
        // cpu  30146 6041 16063 65922 990 0 405 0 0 0
        var earlier = CpuTimes.parse(ProcFixtures.read("stat"));
        assertThat(earlier.cpus()).isEqualTo(2);
        assertThat(earlier.total()).isEqualTo(30146 + 6041 + 16063 + 65922 + 990 + 405);
        assertThat(earlier.busy()).isEqualTo(30146 + 6041 + 16063 + 405);
        // cpu  30148 6041 16067 66126 990 0 406 0 0 0: 7 busy ticks of 211
        var later = CpuTimes.parse(ProcFixtures.read("stat.later"));
        assertThat(later.percentSince(earlier)).isCloseTo(100.0 * 2 * 7 / 211, within(1e-9));
        assertThat(later.percentSince(later)).isZero();
    }

    @Test
    void guestTimeIsNotCountedTwice() {
        var before = CpuTimes.parse("cpu  100 0 0 100 0 0 0 0 0 0\ncpu0 100 0 0 100 0 0 0 0 0 0\n");
        var after = CpuTimes.parse("cpu  150 0 0 150 0 0 0 0 50 0\ncpu0 150 0 0 150 0 0 0 0 50 0\n");
        assertThat(after.percentSince(before)).isEqualTo(50.0);
    }

    @Test
    void aStatWithoutCpuLineIsRefused() {
        assertThatThrownBy(() -> CpuTimes.parse("intr 1 2 3\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryUsedIsTotalMinusAvailable() {
        // MemTotal: 24683748 kB, MemAvailable: 24201640 kB
        var memory = MemInfo.parse(ProcFixtures.read("meminfo"));
        assertThat(memory.total()).isEqualTo(24683748L * 1024);
        assertThat(memory.used()).isEqualTo((24683748L - 24201640L) * 1024);
        assertThatThrownBy(() -> MemInfo.parse("MemTotal: 1 kB\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void netDevLeavesLoopbackOutAndKeepsTheOrder() {
        var net = NetDev.parse(ProcFixtures.read("net-dev"));
        assertThat(net.interfaces()).containsOnlyKeys("ifb0", "ifb1", "eth0");
        assertThat(net.interfaces().keySet()).containsExactly("ifb0", "ifb1", "eth0");
        assertThat(net.interfaces().get("eth0")).isEqualTo(new NetDev.Counters(420371391L, 1044569L));
    }

    @Test
    void diskStatsCountWholeDisksOnly() {
        var fixture = DiskStats.parse(ProcFixtures.read("diskstats"));
        // vda: 3586922 sectors read, 8977096 written; loop devices are left out
        assertThat(fixture).isEqualTo(new DiskStats(3586922L * 512, 8977096L * 512));
        var partitioned = DiskStats.parse("""
                 253       0 vda 10 0 100 0 10 0 200 0 0 0 0 0 0 0 0 0 0
                 253       1 vda1 5 0 60 0 5 0 150 0 0 0 0 0 0 0 0 0 0
                 259       0 nvme0n1 1 0 10 0 1 0 20 0 0 0 0 0 0 0 0 0 0
                 259       1 nvme0n1p1 1 0 9 0 1 0 19 0 0 0 0 0 0 0 0 0 0
                 259       2 nvme0n10 1 0 1 0 1 0 2 0 0 0 0 0 0 0 0 0 0
                 252       0 dm-0 1 0 999 0 1 0 999 0 0 0 0 0 0 0 0 0 0
                   7       0 loop0 1 0 999 0 1 0 999 0 0 0 0 0 0 0 0 0 0
                """);
        assertThat(partitioned).isEqualTo(new DiskStats((100 + 10 + 1) * 512L, (200 + 20 + 2) * 512L));
    }

    @Test
    void prettyNameLosesItsQuotes() {
        assertThat(SummaryCollector.prettyName(ProcFixtures.read("os-release"))).startsWith("Debian GNU/Linux");
        assertThat(SummaryCollector.prettyName("ID=x\nPRETTY_NAME='Plain'\n")).isEqualTo("Plain");
        assertThat(SummaryCollector.prettyName("PRETTY_NAME=Bare words\n")).isEqualTo("Bare words");
    }
}
