package dk.sdu.cloud.im.agent.metrics;

import dk.sdu.cloud.im.agent.guest.GuestLayout;
import dk.sdu.cloud.im.agent.time.ExecutorScheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/** {@code vmagent metrics}: the metrics service's composition root, and the dump. */
public final class MetricsMain {
    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(60);
    static final int EXIT_USAGE = 2;
    /** Rows a dump prints, newest last. */
    static final int DUMP_ROWS = 8;

    private MetricsMain() {
    }

    /** Runs {@code vmagent metrics <args>} and returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        MetricsCommandLine commandLine;
        try {
            commandLine = MetricsCommandLine.parse(args);
        } catch (MetricsCommandLine.UsageException e) {
            err.println("vmagent metrics: " + e.getMessage());
            err.print(MetricsCommandLine.USAGE);
            return EXIT_USAGE;
        }
        return switch (commandLine.action()) {
            case HELP -> {
                out.print(MetricsCommandLine.USAGE);
                yield 0;
            }
            case DUMP -> dump(commandLine.dumpFolder().orElseThrow().resolve(MetricsFormat.FOLDER), out, err);
            case RUN -> serve(commandLine, err);
        };
    }

    private static int serve(MetricsCommandLine commandLine, PrintStream err) {
        var layout = commandLine.simulatedRoot().map(GuestLayout::simulated).orElseGet(GuestLayout::real);
        var files = ProcFiles.system();
        var fileSystem = FileSystemUsage.of(layout.resolve("/"));
        var exit = new CompletableFuture<Integer>();
        var scheduler = new ExecutorScheduler(Clock.systemUTC(), Executors.newSingleThreadScheduledExecutor(task -> {
            var thread = new Thread(task, "vmagent-metrics");
            thread.setDaemon(true);
            return thread;
        }));
        var random = new SecureRandom();
        var service = new MetricsService(new MetricsSampler(files, fileSystem),
                new SummaryCollector(files, fileSystem, SummaryCollector.systemAddresses()),
                commandLine.workFolder().orElseGet(layout::work).resolve(MetricsFormat.FOLDER), scheduler, commandLine.interval(), SUMMARY_INTERVAL,
                random::nextLong, exit::complete);
        try {
            service.start();
        } catch (IOException e) {
            err.println("vmagent metrics: cannot start: " + e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "vmagent-metrics-stop"));
        return exit.join();
    }

    private static int dump(Path folder, PrintStream out, PrintStream err) {
        RingDump ring;
        try {
            ring = RingDump.read(folder.resolve(MetricsFormat.RING_FILE));
        } catch (IOException e) {
            err.println("vmagent metrics: " + e.getMessage());
            return 1;
        }
        out.printf("ring %016x created %s: %d slots of %d columns, %d samples, %d torn%n", ring.ringId(),
                ring.created(), ring.slots(), ring.columns(), ring.rows().size(), ring.torn());
        var rows = ring.rows();
        for (var row : rows.subList(Math.max(0, rows.size() - DUMP_ROWS), rows.size())) {
            out.println("sample " + row.sequence() + ": " + Arrays.stream(row.values())
                    .mapToObj(MetricsMain::number).collect(Collectors.joining(",")));
        }
        Path summary = folder.resolve(MetricsFormat.SUMMARY_FILE);
        try {
            if (Files.isRegularFile(summary) && Files.size(summary) <= RingDump.MAX_BYTES) {
                out.println("summary:");
                out.print(Files.readString(summary, StandardCharsets.UTF_8));
            } else {
                out.println("no summary");
            }
        } catch (IOException e) {
            out.println("no summary: " + e.getMessage());
        }
        return rows.isEmpty() ? 1 : 0;
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
