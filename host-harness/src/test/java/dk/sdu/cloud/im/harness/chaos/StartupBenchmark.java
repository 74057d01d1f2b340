package dk.sdu.cloud.im.harness.chaos;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How long the installed IM takes to start: {@code plugins}, {@code config check} and {@code serve} (embedded
 * mode, until the provider API answers an HTTP request, then SIGTERM), each run as its own process, in three
 * ways:
 * <ol>
 *   <li><b>plain java</b> (the baseline): {@code java -cp lib/* ImCommand ...} with the JVM's defaults, as the
 *       launcher ran it before it used class-data sharing;</li>
 *   <li><b>launcher, no CDS</b>: {@code bin/ucloud-im} with {@code UCLOUD_IM_CDS=off} (its JVM options
 *       only);</li>
 *   <li><b>launcher</b>: {@code bin/ucloud-im} as installed, with its class-data sharing archives (recorded by
 *       a first run of each command before the rounds, in a folder of the benchmark's own).</li>
 * </ol>
 * Each round runs every command in every way, in an order that turns with the round so that no way always
 * runs first. Printed: median and best wall time from the process's start to its end (plugins, config
 * check) or to the provider API's first answer (serve), serve's own "serving after" from its ready line, and
 * the ratio to the baseline. Targets: serve serving in under 2 s; plugins and config check under 1 s. A
 * program, not a test: {@code scripts/bench startup}.
 */
@Command(name = "bench-startup", mixinStandardHelpOptions = true,
        description = "Times plugins, config check and serve (embedded) of the installed IM, with and without its "
                + "class-data sharing, against plain java.")
public final class StartupBenchmark implements Callable<Integer> {
    private static final Pattern SERVING_AFTER = Pattern.compile("; serving after (\\d+) ms");
    private static final Duration SERVE_TIMEOUT = Duration.ofMinutes(3);
    private static final String MAIN = "dk.sdu.cloud.im.harness.cli.ImCommand";

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int rounds;

    @Option(names = "--installation", paramLabel = "DIR", description = "The IM installation (default: ${DEFAULT-VALUE})",
            defaultValue = "target/ucloud-im")
    Path installation;

    @Option(names = "--java-home", paramLabel = "DIR", description = "The JDK the IM runs on, plain and by the launcher "
            + "(its JAVA_HOME); default: the one running the benchmark. Java 25 or newer: the launcher's AOT cache.")
    Path javaHome;

    private final Map<String, List<Long>> times = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** One way of starting the IM. */
    private enum Way {
        PLAIN("plain java"), LAUNCHER_NO_CDS("launcher, no CDS"), LAUNCHER("launcher");

        final String label;

        Way(String label) {
            this.label = label;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new StartupBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            System.err.println("bench-startup: --rounds must be at least 1");
            return 2;
        }
        Path home = installation.toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/ucloud-im"))) {
            System.err.println("bench-startup: no IM installation at " + home + " (expected bin/ucloud-im): build it "
                    + "with ./mvnw package, or give --installation");
            return 2;
        }
        Path work = Files.createTempDirectory("ucloud-im-bench-startup-");
        try {
            return run(home, work);
        } finally {
            deleteTree(work);
        }
    }

    private int run(Path home, Path work) throws Exception {
        System.out.println("JDK the IM runs on: " + jdk());
        Path fileSystem = work.resolve("fs");
        for (String folder : List.of("trash", "collections/17/Data", "collections/17/Reference")) {
            Files.createDirectories(fileSystem.resolve(folder));
        }
        ChaosImConfig.coreCredentials(work.resolve("core-key"));
        // Port 0: each start binds a free port, which its ready line names (ServingLine).
        Path config = ChaosImConfig.write(work.resolve("config.yaml"), new ChaosImConfig.Settings(fileSystem,
                work.resolve("state"), work.resolve("unused-kubeconfig"), work.resolve("core-key"), 0,
                Map.of("harness.kubernetes", "{ mode: embedded, embedded: { guests: false } }")));
        Path cds = work.resolve("cds");
        String api = "/ucloud/k8s/jobs/retrieveProducts";

        // Not timed: records the class-data sharing archives and creates the job store.
        System.out.println("recording the class-data sharing archives (not timed)");
        for (String command : List.of("plugins", "config", "serve")) {
            time(home, work, cds, Way.LAUNCHER, command, config, api, false);
        }
        try (Stream<Path> archives = Files.list(cds)) {
            System.out.println("archives: " + archives.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Way[] ways = Way.values();
        for (int round = 0; round < rounds; round++) {
            for (String command : List.of("plugins", "config", "serve")) {
                for (int i = 0; i < ways.length; i++) {
                    time(home, work, cds, ways[(i + round) % ways.length], command, config, api, true);
                }
            }
            System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
        }
        System.out.println();
        for (String command : List.of("plugins", "config check", "serve")) {
            String base = command + ": " + Way.PLAIN.label;
            for (Way way : ways) {
                report(command + ": " + way.label, way == Way.PLAIN ? null : base);
            }
            if (command.equals("serve")) {
                for (Way way : ways) {
                    report("serve: " + way.label + " (its own 'serving after')", null);
                }
            }
        }
        System.out.println();
        System.out.println("targets: serve serving < 2000 ms; plugins and config check < 1000 ms (launcher)");
        return 0;
    }

    private Path jdk() {
        return javaHome != null ? javaHome.toAbsolutePath() : Path.of(System.getProperty("java.home"));
    }

    private void time(Path home, Path work, Path cds, Way way, String command, Path config, String api, boolean record)
            throws Exception {
        List<String> args = switch (command) {
            case "plugins" -> List.of("plugins", "--config", config.toString());
            case "config" -> List.of("config", "check", "--config", config.toString());
            default -> List.of("serve", "--config", config.toString());
        };
        List<String> line = new ArrayList<>();
        if (way == Way.PLAIN) {
            line.addAll(List.of(jdk().resolve("bin").resolve("java").toString(),
                    "-Dlogback.configurationFile=" + home.resolve("config/logback.xml"),
                    "-Ducloud.im.home=" + home, "-cp", home.resolve("lib") + "/*", MAIN));
        } else {
            line.add(home.resolve("bin/ucloud-im").toString());
        }
        line.addAll(args);
        Path log = work.resolve("last.log");
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("UCLOUD_IM_CDS", way == Way.LAUNCHER_NO_CDS ? "off" : cds.toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("JAVA_HOME", jdk().toString());
        long start = System.nanoTime();
        Process process = builder.start();
        String name = (command.equals("config") ? "config check" : command) + ": " + way.label;
        if (!command.equals("serve")) {
            if (!process.waitFor(SERVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " failed:\n" + Files.readString(log));
            }
            if (record) {
                times.computeIfAbsent(name, n -> new ArrayList<>()).add(System.nanoTime() - start);
            }
            return;
        }
        long answered = awaitAnswer(process, api, start, log, name);
        process.destroy();   // SIGTERM; a recording run writes its archive now
        if (!process.waitFor(SERVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not stop after SIGTERM");
        }
        if (record) {
            times.computeIfAbsent(name, n -> new ArrayList<>()).add(answered);
            Matcher own = SERVING_AFTER.matcher(Files.readString(log));
            if (own.find()) {
                times.computeIfAbsent(name + " (its own 'serving after')", n -> new ArrayList<>())
                        .add(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(own.group(1))));
            }
        }
    }

    /**
     * Nanoseconds from {@code start} until the provider API answers anything over HTTP at {@code path}, on the port
     * the IM's ready line names.
     */
    private long awaitAnswer(Process process, String path, long start, Path log, String name) throws Exception {
        long deadline = start + SERVE_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " ended with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            Optional<URI> served = ServingLine.in(Files.readString(log));
            if (served.isPresent()) {
                try {
                    http.send(HttpRequest.newBuilder(served.get().resolve(path)).timeout(Duration.ofSeconds(5)).GET()
                            .build(), HttpResponse.BodyHandlers.discarding());
                    return System.nanoTime() - start;
                } catch (IOException notYet) {
                    // not answering yet
                }
            }
            Thread.sleep(5);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not answer within " + SERVE_TIMEOUT);
    }

    private void report(String what, String baseline) {
        List<Long> values = times.get(what);
        if (values == null) {
            return;
        }
        long best = values.stream().min(Comparator.naturalOrder()).orElseThrow();
        long median = median(values);
        String line = String.format(Locale.ROOT, "%-58s median %6d ms   best %6d ms", what, median / 1_000_000,
                best / 1_000_000);
        List<Long> base = baseline == null ? null : times.get(baseline);
        if (base != null) {
            line += String.format(Locale.ROOT, "   median %.2fx, best %.2fx of plain java", median / (double) median(base),
                    best / (double) base.stream().min(Comparator.naturalOrder()).orElseThrow());
        }
        System.out.println(line);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
