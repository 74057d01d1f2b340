package dk.sdu.cloud.im.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sdu.cloud.im.agent.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service on a hand-driven clock: a sample per interval, the summary at start and each minute, a new ring per start. */
class MetricsServiceTest {
    private static final Duration INTERVAL = Duration.ofMillis(250);

    @TempDir
    Path work;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Map<String, String> files = ProcFixtures.machine(false);
    private final List<Integer> exits = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);

    private MetricsService service(Path folder) {
        return new MetricsService(new MetricsSampler(ProcFixtures.files(files), () -> new FileSystemUsage(1, 2)),
                new SummaryCollector(ProcFixtures.files(files), () -> new FileSystemUsage(1, 2), List::of),
                folder, scheduler, INTERVAL, MetricsMain.SUMMARY_INTERVAL, ids::incrementAndGet, exits::add);
    }

    @Test
    void samplesEveryIntervalAndSummarisesEveryMinute() throws Exception {
        Path folder = work.resolve(MetricsFormat.FOLDER);
        var service = service(folder);
        service.start();
        Path ring = folder.resolve(MetricsFormat.RING_FILE);
        assertThat(RingDump.read(ring).rows()).hasSize(1);
        assertThat(Files.readString(folder.resolve(MetricsFormat.SUMMARY_FILE))).contains("OperatingSystem:Debian");

        scheduler.advance(Duration.ofSeconds(1));
        var dump = RingDump.read(ring);
        assertThat(dump.ringId()).isEqualTo(101);
        assertThat(dump.rows()).hasSize(5);
        assertThat(dump.rows().get(4).values()[MetricsFormat.COLUMN_TIME_MILLIS])
                .isEqualTo(scheduler.now().toEpochMilli());

        files.put("/etc/os-release", "PRETTY_NAME=\"Changed OS\"\n");
        scheduler.advance(Duration.ofSeconds(59));
        assertThat(Files.readString(folder.resolve(MetricsFormat.SUMMARY_FILE))).contains("OperatingSystem:Changed OS");
        assertThat(RingDump.read(ring).rows()).hasSize(241); // one at start and 4 a second for 60 s
        service.stop();

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(RingDump.read(ring).rows()).hasSize(241);
        var restarted = service(folder);
        restarted.start();
        assertThat(RingDump.read(ring).ringId()).isEqualTo(102);
        assertThat(RingDump.read(ring).rows()).hasSize(1);
        restarted.stop();
        assertThat(exits).isEmpty();
    }

    @Test
    void aFailedWriteEndsTheServiceWithStatusOne() throws Exception {
        Path folder = work.resolve(MetricsFormat.FOLDER);
        var service = service(folder);
        service.start();
        files.remove("/proc/stat");
        scheduler.advance(INTERVAL);
        assertThat(exits).containsExactly(1);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(exits).containsExactly(1);
    }
}
