package dk.sdu.cloud.im.harness.startup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up trace, driven by hand-set clocks. */
class StartupTraceTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final AtomicLong threadCpu = new AtomicLong(100);
    /** Origin at 4 s on the clock: the process started 1000 ms before the trace's first reading. */
    private final StartupTrace trace = new StartupTrace(true, nanos::get, threadCpu::get, () -> 2500, 4_000_000_000L);

    @TempDir
    Path temp;

    @Test
    void aPhaseIsRecordedWithItsStartSinceTheOriginItsDurationItsThreadAndItsCpu() {
        String result = trace.time("job store (H2)", () -> {
            nanos.addAndGet(250_000_000);
            threadCpu.addAndGet(40);
            return "opened";
        });

        assertThat(result).isEqualTo("opened");
        assertThat(trace.phases()).containsExactly(new StartupTrace.Phase("job store (H2)",
                Thread.currentThread().getName(), 1000, 250, 40));
    }

    @Test
    void phasesAreListedByStartWhateverTheOrderTheyEnded() {
        StartupTrace.Span outer = trace.begin("cluster connection");
        nanos.addAndGet(10_000_000);
        trace.run("Core", () -> nanos.addAndGet(30_000_000));
        outer.close();
        outer.close();

        assertThat(trace.phases()).extracting(StartupTrace.Phase::name).containsExactly("cluster connection", "Core");
        assertThat(trace.phases()).extracting(StartupTrace.Phase::millis).containsExactly(40L, 30L);
    }

    @Test
    void theTableHasALineAPhaseAndTheProcessCpuAtTheEnd() {
        trace.run("plugins loaded (PF4J)", () -> nanos.addAndGet(70_000_000));

        String table = trace.table();

        assertThat(table.lines()).hasSize(3);
        assertThat(table.lines().toList().get(0)).contains("start").contains("cpu ms").contains("phase");
        assertThat(table.lines().toList().get(1)).matches("\\s+1000\\s+1070\\s+70\\s+0\\s+\\S.*plugins loaded \\(PF4J\\)");
        assertThat(table.lines().toList().get(2)).matches("\\s+1070\\s+2500\\s+\\(all threads\\)\\s+until now");
    }

    @Test
    void anUnknownCpuTimeShowsAsAQuestionMark() {
        StartupTrace unknownCpu = new StartupTrace(true, nanos::get, () -> -1, () -> -1, 0);
        unknownCpu.run("logging", () -> nanos.addAndGet(1_000_000));

        assertThat(unknownCpu.phases().get(0).cpuMillis()).isEqualTo(-1);
        assertThat(unknownCpu.table().lines().toList().get(1)).contains(" ? ");
    }

    @Test
    void aTraceThatIsOffRecordsNothingAndStillRunsTheWork() {
        StartupTrace off = StartupTrace.off();

        assertThat(off.time("plugins", () -> 42)).isEqualTo(42);
        try (StartupTrace.Span span = off.begin("config")) {
            assertThat(span).isNotNull();
        }

        assertThat(off.enabled()).isFalse();
        assertThat(off.phases()).isEmpty();
    }

    @Test
    void theSystemPropertyIsOffUnlessSet() {
        assertThat(System.getProperty(StartupTrace.PROPERTY)).as("the test JVM does not set it").isNull();

        assertThat(StartupTrace.fromSystemProperty().enabled()).isFalse();
        assertThat(StartupTrace.startingNow().enabled()).isTrue();
    }

    @Test
    void theProcessAgeIsTheUptimeLessTheProcesssStartSinceBoot() throws Exception {
        Path uptime = temp.resolve("uptime");
        Files.writeString(uptime, "24012.57 47000.10\n");
        Path stat = temp.resolve("stat");
        // starttime (22nd field) 2401000 ticks: 24010.00 s after boot
        Files.writeString(stat, "4242 (java) S 1 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 30 0 2401000 0\n");

        assertThat(StartupTrace.processAgeMillis(uptime, stat)).contains(2570L);
        assertThat(StartupTrace.processAgeMillis(temp.resolve("absent"), stat)).isEmpty();
    }

    @Test
    void cpuTimeIsReadFromAProcStatFileWhoseNameHoldsSpacesAndParentheses() throws Exception {
        Path stat = temp.resolve("stat");
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        Files.writeString(stat, "4242 (C2 Compiler (x) ) S 1 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 30\n");

        assertThat(StartupTrace.cpuMillis(stat)).isEqualTo((123 + 45) * 10);
        assertThat(StartupTrace.cpuMillis(temp.resolve("absent"))).isEqualTo(-1);
    }
}
