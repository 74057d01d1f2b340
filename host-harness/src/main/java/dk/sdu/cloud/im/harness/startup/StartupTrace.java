package dk.sdu.cloud.im.harness.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * How long each phase of a command's start took, for finding what bounds the start-up: switched on by the system
 * property {@value #PROPERTY}{@code =true} (e.g. {@code JAVA_OPTS=-Dim.startup.trace=true}), off otherwise, when
 * it records nothing and costs a branch per phase. Phases may run on several threads at once (the cluster
 * connection runs beside the job store); each is recorded with its thread, its start as milliseconds since the
 * process started (so that the JVM's own start-up shows as the first phase), its duration and its thread's CPU
 * time (on a busy machine the CPU time says more than the wall time). Thread-safe.
 */
public final class StartupTrace {
    /** The system property that switches the trace on. */
    public static final String PROPERTY = "im.startup.trace";
    private static final StartupTrace OFF = new StartupTrace(false, () -> 0, () -> -1, () -> -1, 0);
    /** Linux's clock ticks per second in /proc's CPU times (USER_HZ, 100 on every common kernel). */
    private static final long TICKS_PER_SECOND = 100;

    private final boolean enabled;
    private final LongSupplier nanoTime;
    private final LongSupplier threadCpuMillis;
    private final LongSupplier processCpuMillis;
    private final long originNanos;
    private final ConcurrentLinkedQueue<Phase> phases = new ConcurrentLinkedQueue<>();

    /**
     * @param enabled          whether phases are recorded
     * @param nanoTime         a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param threadCpuMillis  the calling thread's CPU time so far in milliseconds, or -1 when unknown
     * @param processCpuMillis the process's CPU time so far (all threads) in milliseconds, or -1 when unknown
     * @param originNanos      the reading of {@code nanoTime} that counts as the process's start
     */
    StartupTrace(boolean enabled, LongSupplier nanoTime, LongSupplier threadCpuMillis, LongSupplier processCpuMillis,
                 long originNanos) {
        this.enabled = enabled;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.threadCpuMillis = requireNonNull(threadCpuMillis, "threadCpuMillis is null");
        this.processCpuMillis = requireNonNull(processCpuMillis, "processCpuMillis is null");
        this.originNanos = originNanos;
    }

    /** A trace that records nothing. */
    public static StartupTrace off() {
        return OFF;
    }

    /**
     * A trace as {@value #PROPERTY} says, whose origin is the process's start (when the system does not tell it,
     * the call's time); when on, the time from the process's start to this call is its first phase,
     * {@code "JVM start to main"}.
     */
    public static StartupTrace fromSystemProperty() {
        if (!Boolean.getBoolean(PROPERTY)) {
            return OFF;
        }
        long now = System.nanoTime();
        long sinceStart = processAgeMillis().orElseGet(() ->
                ProcessHandle.current().info().startInstant()
                        .map(start -> Math.max(0, Instant.now().toEpochMilli() - start.toEpochMilli()))
                        .orElse(0L)) * 1_000_000;
        StartupTrace trace = new StartupTrace(true, System::nanoTime, () -> cpuMillis(Path.of("/proc/thread-self/stat")),
                () -> cpuMillis(Path.of("/proc/self/stat")), now - sinceStart);
        trace.phases.add(new Phase("JVM start to main", Thread.currentThread().getName(), 0, sinceStart / 1_000_000,
                cpuMillis(Path.of("/proc/self/stat"))));
        return trace;
    }

    /** A trace that is on whatever {@value #PROPERTY} says, whose origin is this call (no JVM phase). */
    public static StartupTrace startingNow() {
        return new StartupTrace(true, System::nanoTime, () -> cpuMillis(Path.of("/proc/thread-self/stat")),
                () -> cpuMillis(Path.of("/proc/self/stat")), System.nanoTime());
    }

    /**
     * How long the process has run, in milliseconds, from the system's uptime and the process's start in clock
     * ticks since boot (Linux; 10 ms resolution); empty where those files are not. The JDK's
     * {@code ProcessHandle.Info.startInstant()} adds the boot time in whole seconds, which is up to a second off.
     */
    public static Optional<Long> processAgeMillis() {
        return processAgeMillis(Path.of("/proc/uptime"), Path.of("/proc/self/stat"));
    }

    /** {@link #processAgeMillis()} from the given files. */
    static Optional<Long> processAgeMillis(Path uptimeFile, Path statFile) {
        try {
            String uptime = Files.readString(uptimeFile);
            long upMillis = new java.math.BigDecimal(uptime.substring(0, uptime.indexOf(' ')))
                    .movePointRight(3).longValue();
            String stat = Files.readString(statFile);
            // starttime is the 20th field after the command name's closing parenthesis.
            long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            return Optional.of(Math.max(0, upMillis - startTicks * 1000 / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * User and system CPU time in milliseconds from a /proc {@code stat} file (Linux), or -1 where there is none.
     * Read from /proc rather than from a management bean, which would load a few hundred classes into the start
     * it measures; its resolution is a clock tick (10 ms).
     */
    static long cpuMillis(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // The command name in parentheses may hold spaces; after it the fields are fixed, utime and stime
            // being the 12th and 13th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether phases are recorded. */
    public boolean enabled() {
        return enabled;
    }

    /** Starts a phase on the calling thread; closing the span ends it. */
    public Span begin(String phase) {
        requireNonNull(phase, "phase is null");
        return enabled ? new Span(this, phase, Thread.currentThread().getName(), nanoTime.getAsLong(),
                threadCpuMillis.getAsLong()) : Span.NONE;
    }

    /** Runs {@code work} as the phase {@code phase}. */
    public <T> T time(String phase, Supplier<T> work) {
        requireNonNull(work, "work is null");
        try (Span ignored = begin(phase)) {
            return work.get();
        }
    }

    /** Runs {@code work} as the phase {@code phase}. */
    public void run(String phase, Runnable work) {
        requireNonNull(work, "work is null");
        try (Span ignored = begin(phase)) {
            work.run();
        }
    }

    /** The phases recorded so far (ended ones only), by start. */
    public List<Phase> phases() {
        List<Phase> sorted = new ArrayList<>(phases);
        sorted.sort(Comparator.comparingLong(Phase::startMillis));
        return List.copyOf(sorted);
    }

    /**
     * The phases as a table, one line each: start and end in milliseconds since the process started, duration,
     * the thread's CPU time in it, thread and name; the last line is the time from the process's start to this
     * call, with the CPU time of all the process's threads.
     */
    public String table() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%8s %8s %8s %8s  %-28s %s%n",
                "start", "end", "ms", "cpu ms", "thread", "phase"));
        for (Phase phase : phases()) {
            text.append(String.format(Locale.ROOT, "%8d %8d %8d %8s  %-28s %s%n", phase.startMillis(),
                    phase.startMillis() + phase.millis(), phase.millis(), cpu(phase.cpuMillis()), phase.thread(),
                    phase.name()));
        }
        text.append(String.format(Locale.ROOT, "%8s %8d %8s %8s  %-28s %s", "", millisSinceOrigin(nanoTime.getAsLong()),
                "", cpu(processCpuMillis.getAsLong()), "(all threads)", "until now"));
        return text.toString();
    }

    /**
     * The CPU time of the process's threads so far, the busiest first, summed by name (the JIT's compiler
     * threads, the collector's and the application's), as {@code name ms} lines; empty where /proc has no tasks.
     * It says how much of a start the JVM's own threads cost beside the application's.
     */
    public static String threadCpu(int top) {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                long millis = cpuMillis(task.resolve("stat"));
                if (millis > 0) {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "#");
                    byName.merge(name, millis, Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> text.append(String.format(Locale.ROOT, "%8d  %s%n", e.getValue(), e.getKey())));
        return text.toString();
    }

    private static String cpu(long millis) {
        return millis < 0 ? "?" : Long.toString(millis);
    }

    private long millisSinceOrigin(long nanos) {
        return (nanos - originNanos) / 1_000_000;
    }

    /**
     * One phase that ended.
     *
     * @param name        what ran
     * @param thread      the thread it ran on
     * @param startMillis its start, in milliseconds since the process started
     * @param millis      how long it took
     * @param cpuMillis   the CPU time its thread spent in it, -1 when unknown
     */
    public record Phase(String name, String thread, long startMillis, long millis, long cpuMillis) {
        public Phase {
            requireNonNull(name, "name is null");
            requireNonNull(thread, "thread is null");
        }
    }

    /** A phase under way; {@link #close()} records it (once). */
    public static final class Span implements AutoCloseable {
        /** The span of a trace that is off: closing it records nothing. */
        private static final Span NONE = new Span(null, "", "", 0, -1);
        private final StartupTrace trace;
        private final String name;
        private final String thread;
        private final long startNanos;
        private final long startCpuMillis;
        private boolean ended;

        private Span(StartupTrace trace, String name, String thread, long startNanos, long startCpuMillis) {
            this.trace = trace;
            this.name = name;
            this.thread = thread;
            this.startNanos = startNanos;
            this.startCpuMillis = startCpuMillis;
        }

        @Override
        public void close() {
            if (trace == null || ended) {
                return;
            }
            ended = true;
            long end = trace.nanoTime.getAsLong();
            long endCpu = trace.threadCpuMillis.getAsLong();
            trace.phases.add(new Phase(name, thread, trace.millisSinceOrigin(startNanos), (end - startNanos) / 1_000_000,
                    startCpuMillis < 0 || endCpu < 0 ? -1 : endCpu - startCpuMillis));
        }
    }
}
