package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.client.CallCredentials;

import dk.sdu.cloud.im.harness.demo.DemoFailure;
import dk.sdu.cloud.im.harness.demo.DemoImage;
import dk.sdu.cloud.im.harness.demo.ImageServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code scripts/bench-accept}: how fast the installed IM answers Core's job creations (issue "Trust", item 5:
 * UCloud/Core gives a provider call 5 s). The IM runs as a child process in kubeconfig mode against an embedded
 * API with the KubeVirt simulator in this JVM, as in the crash test. It prints, side by side in one run:
 *
 * <ul>
 *   <li>the floor: concurrent {@code retrieveProducts} calls (HTTP, authentication, JSON, no store write),
 *       median and p99;</li>
 *   <li>concurrent creates of one new job each, median and p99;</li>
 *   <li>one bulk create of many new jobs, its answer time;</li>
 *   <li>how long after that answer the last of those jobs reached RUNNING (the work done behind the answer).</li>
 * </ul>
 */
@Command(name = "bench-accept", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times the IM's answers to job creations against the floor of a call that writes nothing, in one run.")
public final class AcceptBenchmark implements Callable<Integer> {
    private static final String NAMESPACE = "ucloud-apps";
    private static final String PROVIDER = "k8s";
    private static final String IMAGE = "bench.qcow2";
    private static final Duration CORE_BUDGET = Duration.ofSeconds(5);

    @Option(names = "--bulk", paramLabel = "N", description = "jobs in the one bulk create (default: ${DEFAULT-VALUE})", defaultValue = "1000")
    int bulk;

    @Option(names = "--concurrent", paramLabel = "N", description = "creates sent at once (default: ${DEFAULT-VALUE})", defaultValue = "200")
    int concurrent;

    @Option(names = "--settle", paramLabel = "SECONDS", description = "longest wait for the bulk's jobs to run (default: ${DEFAULT-VALUE})", defaultValue = "900")
    long settleSeconds;

    @Option(names = "--installation", paramLabel = "DIR", description = "the IM's installation (default: ${DEFAULT-VALUE})", defaultValue = "host-harness/target/ucloud-im")
    Path installation;

    @Option(names = "--im-java-opts", paramLabel = "OPTS", description = "JAVA_OPTS of the IM (default: ${DEFAULT-VALUE})", defaultValue = "-Xmx1g")
    String imJavaOptions;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AcceptBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (bulk < 1 || concurrent < 1) {
            System.err.println("bench-accept: --bulk and --concurrent must be at least 1");
            return 2;
        }
        Path launcher = installation.resolve("bin").resolve("ucloud-im").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            System.err.println("bench-accept: no IM installation at " + installation.toAbsolutePath()
                    + " (expected bin/ucloud-im): build it with ./mvnw package, or give --installation");
            return 2;
        }
        Path work = Files.createTempDirectory("ucloud-im-bench-accept-");
        Path fileSystem = work.resolve("fs");
        for (String folder : List.of("trash", "collections/17/Data", "collections/17/Reference")) {
            Files.createDirectories(fileSystem.resolve(folder));
        }
        try {
            Path image = DemoImage.make(Files.createDirectories(work.resolve("image")).resolve(IMAGE));
            try (ImageServer images = ImageServer.serve(image, IMAGE);
                 ChaosCluster cluster = ChaosCluster.start(NAMESPACE)) {
                return run(launcher, work, fileSystem, images.url(), cluster);
            }
        } catch (DemoFailure e) {
            System.err.println("bench-accept: " + e.getMessage());
            return 3;
        }
    }

    private int run(Path launcher, Path work, Path fileSystem, URI image, ChaosCluster cluster) throws Exception {
        CallCredentials credentials = ChaosImConfig.coreCredentials(work.resolve("core-key"));
        int jobs = bulk + concurrent;
        // Port 0: the IM binds a free port, which its ready line names (ServingLine).
        Path config = ChaosImConfig.write(work.resolve("config.yaml"), new ChaosImConfig.Settings(fileSystem,
                work.resolve("state"), cluster.writeKubeconfig(work.resolve("kubeconfig.yaml")), work.resolve("core-key"),
                jobs, Map.of()));
        ImProcess im = new ImProcess(launcher, config, work, imJavaOptions, Duration.ofMinutes(2));
        Runtime.getRuntime().addShutdownHook(new Thread(im::killNow, "bench-kill-im"));
        Map<URI, ProviderApi> apis = new HashMap<>();
        URI base = im.start(served -> {
            try {
                apis.computeIfAbsent(served, url -> new ProviderApi(url, PROVIDER, credentials, Duration.ofMinutes(10)))
                        .storedStates();
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        ProviderApi api = apis.get(base);
        try {
            ObjectNode template = ChaosRun.jobTemplate(image);
            System.out.printf("IM at %s (pid %d); %d concurrent requests, then one bulk create of %d jobs%n",
                    base, im.pid(), concurrent, bulk);
            // Warm-up: the JIT and the connection pool, not measured.
            concurrently(concurrent, i -> api.retrieveProducts());

            double[] floor = concurrently(concurrent, i -> api.retrieveProducts());
            double[] singles = concurrently(concurrent,
                    i -> api.send(Operation.CREATE, List.of(template.deepCopy().put("id", "single-" + i))));

            List<JsonNode> bulkJobs = new ArrayList<>(bulk);
            for (int i = 0; i < bulk; i++) {
                bulkJobs.add(template.deepCopy().put("id", "bulk-" + i));
            }
            long bulkStart = System.nanoTime();
            ProviderApi.Answer answer = api.send(Operation.CREATE, bulkJobs);
            long bulkNanos = System.nanoTime() - bulkStart;
            if (answer.outcome() != Outcome.ACCEPTED) {
                System.err.println("bench-accept: the bulk create was not accepted: " + answer.status() + " "
                        + answer.detail());
                return 1;
            }
            double runningSeconds = awaitRunning(api, bulkStart, Duration.ofSeconds(settleSeconds));

            System.out.println();
            System.out.printf("%-46s %10s %10s%n", "", "median", "p99");
            System.out.printf("%-46s %8.1f ms %7.1f ms%n", "floor: " + concurrent + " retrieveProducts at once",
                    percentile(floor, 50), percentile(floor, 99));
            System.out.printf("%-46s %8.1f ms %7.1f ms%n", concurrent + " creates of one job each, at once",
                    percentile(singles, 50), percentile(singles, 99));
            System.out.printf("%-46s %8.1f ms%n", "one bulk create of " + bulk + " jobs: answered in",
                    bulkNanos / 1e6);
            System.out.printf("%-46s %8.1f ms%n", "UCloud/Core's budget for a provider call", (double) CORE_BUDGET.toMillis());
            if (runningSeconds < 0) {
                System.out.printf("%-46s not within %d s%n", "the bulk's jobs all RUNNING", settleSeconds);
            } else {
                System.out.printf("%-46s %8.1f s after the request%n", "the bulk's jobs all RUNNING", runningSeconds);
            }
            return 0;
        } finally {
            im.stop();
        }
    }

    /** Whole seconds after {@code startNanos} when every bulk job was RUNNING, or -1 when not within the limit. */
    private double awaitRunning(ProviderApi api, long startNanos, Duration limit) throws IOException, InterruptedException {
        long deadline = startNanos + limit.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Map<String, String> states;
            try {
                states = api.storedStates();
            } catch (IOException e) {
                // A kept-alive connection the IM closed meanwhile; the next poll opens a new one.
                Thread.sleep(500);
                continue;
            }
            long running = states.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("bulk-") && "RUNNING".equals(e.getValue())).count();
            if (running == bulk) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(500);
        }
        return -1;
    }

    /** Sends {@code count} requests at once (released together by a latch); each one's answer time in ms. */
    private static double[] concurrently(int count, RequestSender sender) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Double>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    ProviderApi.Answer answer = sender.send(index);
                    double millis = (System.nanoTime() - start) / 1e6;
                    if (answer.outcome() != Outcome.ACCEPTED) {
                        throw new IllegalStateException("request " + index + " answered " + answer.status() + ": "
                                + answer.detail());
                    }
                    return millis;
                }));
            }
            go.countDown();
            double[] millis = new double[count];
            for (int i = 0; i < count; i++) {
                try {
                    millis[i] = answers.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
            }
            return millis;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @FunctionalInterface
    private interface RequestSender {
        ProviderApi.Answer send(int index);
    }
}
