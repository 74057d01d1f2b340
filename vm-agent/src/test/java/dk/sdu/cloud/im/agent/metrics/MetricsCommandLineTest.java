package dk.sdu.cloud.im.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmagent metrics}: its options, the refusals, and the dump of a work folder. */
class MetricsCommandLineTest {
    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return MetricsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void optionsAreRead() throws Exception {
        var plain = MetricsCommandLine.parse(new String[0]);
        assertThat(plain.action()).isEqualTo(MetricsCommandLine.Action.RUN);
        assertThat(plain.interval()).isEqualTo(Duration.ofMillis(250));
        var simulated = MetricsCommandLine.parse(new String[] {"--simulated-guest", "/g", "--interval-ms", "1000"});
        assertThat(simulated.simulatedRoot()).contains(Path.of("/g"));
        assertThat(simulated.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(MetricsCommandLine.parse(new String[] {"--dump", "/w"}).action()).isEqualTo(MetricsCommandLine.Action.DUMP);
        assertThat(MetricsCommandLine.parse(new String[] {"--simulated-guest", "/g", "--work-folder", "/jobs/1/work"})
                .workFolder()).contains(Path.of("/jobs/1/work"));
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThatThrownBy(() -> MetricsCommandLine.parse(new String[] {"--interval-ms", "10"}))
                .hasMessageContaining("from 100 to 60000");
        assertThatThrownBy(() -> MetricsCommandLine.parse(new String[] {"--interval-ms", "soon"}))
                .hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> MetricsCommandLine.parse(new String[] {"--dump"})).hasMessageContaining("unexpected");
        assertThatThrownBy(() -> MetricsCommandLine.parse(new String[] {"--work-folder", "/w"}))
                .hasMessageContaining("--work-folder is for a simulated guest");
        assertThatThrownBy(() -> MetricsCommandLine.parse(new String[] {"--dump", "/w", "--interval-ms", "500"}))
                .hasMessageContaining("--dump takes no other option");
        assertThat(run("--frobnicate", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unexpected arguments").contains("Usage: vmagent metrics");
    }

    @Test
    void helpGoesToStdout() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: vmagent metrics");
    }

    @Test
    void dumpPrintsTheLastSamplesAndTheSummary() throws Exception {
        Path folder = work.resolve(MetricsFormat.FOLDER);
        RingWriterTest.writeGolden(folder);
        SummaryWriter.write(folder, "OperatingSystem:Debian GNU/Linux 12 (bookworm)\n");
        assertThat(run("--dump", work.toString())).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("ring 0123456789abcdef created 2026-01-01T00:00:00Z: 8 slots of 64 columns, 8 samples, 0 torn")
                .contains("sample 11: 1767225602750,137.5,11000000,1011,2011,")
                .contains("summary:\nOperatingSystem:Debian GNU/Linux 12 (bookworm)\n");
        assertThat(Files.exists(folder.resolve(MetricsFormat.SUMMARY_FILE + MetricsFormat.TEMPORARY_SUFFIX))).isFalse();
    }

    @Test
    void dumpOfAFolderWithoutRingFails() {
        assertThat(run("--dump", work.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("samples.ring");
    }
}
