package dk.sdu.cloud.im.harness.chaos;

import dk.sdu.cloud.im.harness.client.CallCredentials;

import dk.sdu.cloud.im.harness.demo.DemoImage;
import dk.sdu.cloud.im.harness.demo.ImageServer;
import dk.sdu.cloud.im.simulator.FaultKind;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One crash test: the cluster (embedded API and KubeVirt simulator) in this JVM, the installed IM as a child
 * process in kubeconfig mode, Core's traffic against its provider API, kills at the planned moments, a final
 * restart, a settle phase, and the end-state check. See {@code docs/chaos.md}.
 */
final class ChaosRun {
    static final int OK = 0;
    static final int VIOLATIONS = 1;
    static final int CANNOT_RUN = 3;

    private static final String NAMESPACE = "ucloud-apps";
    private static final String PROVIDER = "k8s";
    private static final String JOB_TEMPLATE = "/dk/sdu/cloud/im/harness/demo/job-vm.json";
    private static final String IMAGE = "chaos.qcow2";
    private static final long SETTLE_POLL_MILLIS = 2000;

    private final ChaosOptions options;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    ChaosRun(ChaosOptions options, PrintStream out) {
        this.options = requireNonNull(options, "options is null");
        this.out = requireNonNull(out, "out is null");
    }

    int run() throws IOException, InterruptedException {
        Random random = new Random(options.seed());
        ChaosPlan plan = ChaosPlan.draw(options.jobs(), options.kills(), random);
        Path work = options.workDirectory() != null ? Files.createDirectories(options.workDirectory())
                : Files.createTempDirectory("ucloud-im-chaos-");
        say("Crash test: %d jobs (%d operations), %d kills, seed %d, fault rate %s; work directory %s",
                options.jobs(), plan.totalOperations(), options.kills(), options.seed(), options.faultRate(), work);
        Path fileSystem = work.resolve("fs");
        for (String folder : List.of("trash", "collections/17/Data", "collections/17/Reference")) {
            Files.createDirectories(fileSystem.resolve(folder));
        }
        Path image = DemoImage.make(Files.createDirectories(work.resolve("image")).resolve(IMAGE));
        int exit;
        try (ImageServer images = ImageServer.serve(image, IMAGE);
             ChaosCluster cluster = ChaosCluster.start(NAMESPACE)) {
            exit = run(plan, random, work, fileSystem, images.url(), cluster);
        }
        if (exit == OK && !options.keep()) {
            delete(work);
        } else {
            say("The work directory is kept: %s (im-<n>.log: the IM's log of each start)", work);
        }
        return exit;
    }

    private int run(ChaosPlan plan, Random random, Path work, Path fileSystem, URI image, ChaosCluster cluster)
            throws InterruptedException {
        CallCredentials credentials = ChaosImConfig.coreCredentials(work.resolve("core-key"));
        // Port 0: each start of the IM binds a free port, which its ready line names (ServingLine).
        Path config = ChaosImConfig.write(work.resolve("config.yaml"), new ChaosImConfig.Settings(fileSystem,
                work.resolve("state"), cluster.writeKubeconfig(work.resolve("kubeconfig.yaml")), work.resolve("core-key"),
                options.jobs(), options.imSettings()));
        say("Kubernetes API (embedded, with the KubeVirt simulator) at %s; image at %s", cluster.url(), image);

        ImProcess im = new ImProcess(options.launcher(), config, work, options.imJavaOptions(), options.startTimeout());
        Thread killOnExit = new Thread(im::killNow, "chaos-kill-im");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        ImLink link = new ImLink(url -> new ProviderApi(url, PROVIDER, credentials, options.requestTimeout()));
        try {
            URI base;
            try {
                base = start(im, link);
            } catch (ImProcess.StartFailure e) {
                say("The IM does not start: %s", e.getMessage());
                return CANNOT_RUN;
            }
            say("IM started (pid %d) at %s", im.pid(), base);
            EmbeddedApiFaults faults = null;
            if (options.faultRate() > 0) {
                faults = new EmbeddedApiFaults(cluster.api());
                faults.start(options.faultRate(), options.seed());
                say("Fault injection on: %s of the IM's Kubernetes API requests fail (%s; a timeout holds its answer %d s)",
                        options.faultRate(), EmbeddedApiFaults.KINDS, EmbeddedApiFaults.TIMEOUT_HOLD.toSeconds());
            }

            List<JobDriver> drivers = plan.scripts().stream().map(JobDriver::new).toList();
            RequestCounts counts = new RequestCounts();
            Traffic traffic = new Traffic(drivers, jobTemplate(image), link, counts, options.concurrency(),
                    options.batchSize(), options.maxThinkMillis(), new Random(random.nextLong()));
            long trafficDeadline = System.nanoTime() + options.trafficTimeout().toNanos();
            Thread sender = new Thread(() -> {
                try {
                    traffic.run(trafficDeadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "chaos-traffic");
            sender.start();

            List<Violation> restartFailures = new ArrayList<>();
            int kills = killAtPlannedMoments(plan, random, im, link, traffic, trafficDeadline, restartFailures);
            // Jobs held by a request without an answer wait for an IM restart that the traffic phase no longer has.
            while (!traffic.allDone() && !traffic.idle() && System.nanoTime() - trafficDeadline < 0 && sender.isAlive()) {
                Thread.sleep(100);
            }
            traffic.stop();
            sender.join();
            if (!traffic.allDone() && restartFailures.isEmpty()) {
                say("The traffic phase ran out of time (%d s) before every script was done", options.trafficTimeout().toSeconds());
            }
            say("Traffic done: %d of %d operations sent%s", traffic.finishedOperations(), plan.totalOperations(),
                    traffic.unsent() == 0 ? "" : " (" + traffic.unsent() + " not sent: their jobs were held by a "
                            + "request without an answer, or the time ran out)");

            if (restartFailures.isEmpty()) {
                say("Final restart (SIGTERM, then start)");
                link.down();
                im.stop();
                try {
                    start(im, link);
                    say("IM started (pid %d); settling for up to %d s", im.pid(), options.settleTimeout().toSeconds());
                } catch (ImProcess.StartFailure e) {
                    restartFailures.add(new Violation(Violation.Kind.RESTART, null, "the IM did not start at the final restart: "
                            + e.getMessage()));
                }
            }

            Map<String, List<Step>> histories = new LinkedHashMap<>();
            drivers.forEach(driver -> histories.put(driver.jobId(), driver.history()));
            List<Violation> violations = new ArrayList<>(restartFailures);
            if (restartFailures.isEmpty()) {
                settle(link, cluster, histories);
            }
            Map<FaultKind, Long> injected = null;
            if (faults != null) {
                injected = faults.stop();
                say("Fault injection off for the final check");
            }
            if (violations.isEmpty()) {
                // With no IM serving, a check would only repeat the RESTART violation.
                violations.addAll(check(link, cluster, histories));
            }
            report(kills, counts, injected, violations);
            return violations.isEmpty() ? OK : VIOLATIONS;
        } finally {
            link.down();
            im.stop();
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
    }

    /** Kills the IM at each planned moment and starts it again; returns how many kills it survived. */
    private int killAtPlannedMoments(ChaosPlan plan, Random random, ImProcess im, ImLink link, Traffic traffic,
                                     long deadline, List<Violation> failures) throws InterruptedException {
        int survived = 0;
        int number = 0;
        for (int threshold : plan.killThresholds()) {
            number++;
            // Also kill early when every job waits for an IM restart (held by a request without an answer).
            while (traffic.finishedOperations() < threshold && !traffic.allDone() && !traffic.idle()
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            if (traffic.allDone() || System.nanoTime() - deadline >= 0) {
                say("Kill %d of %d not done: the traffic ended first", number, plan.killThresholds().size());
                continue;
            }
            Thread.sleep(random.nextInt(1000)); // somewhere within the requests in flight, not right after an answer
            int inFlight = traffic.inFlight();
            int held = traffic.held();
            long pid = im.pid();
            link.down();
            im.kill();
            long killed = System.nanoTime();
            try {
                start(im, link);
            } catch (ImProcess.StartFailure e) {
                failures.add(new Violation(Violation.Kind.RESTART, null, "the IM did not start again after kill "
                        + number + ": " + e.getMessage()));
                say("Kill %d of %d (SIGKILL pid %d): the IM did not start again; the traffic stops", number,
                        plan.killThresholds().size(), pid);
                traffic.stop();
                return survived;
            }
            survived++;
            say("Kill %d of %d: SIGKILL pid %d with %d requests in flight%s, after %d of %d operations; serving again "
                            + "after %.1f s (pid %d)", number, plan.killThresholds().size(), pid, inFlight,
                    held == 0 ? "" : " and " + held + " jobs held by a request without an answer",
                    traffic.finishedOperations(), plan.totalOperations(), seconds(System.nanoTime() - killed), im.pid());
        }
        return survived;
    }

    /** Checks every few seconds until nothing is wrong or the settle time is over. */
    private void settle(ImLink link, ChaosCluster cluster, Map<String, List<Step>> histories) throws InterruptedException {
        long deadline = System.nanoTime() + options.settleTimeout().toNanos();
        long nextSay = System.nanoTime();
        while (true) {
            List<Violation> violations = check(link, cluster, histories);
            if (violations.isEmpty()) {
                say("Settled: every job is where its requests put it");
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                say("Not settled within %d s", options.settleTimeout().toSeconds());
                return;
            }
            if (System.nanoTime() - nextSay >= 0) {
                say("Settling: %d violations so far", violations.size());
                nextSay = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            }
            Thread.sleep(SETTLE_POLL_MILLIS);
        }
    }

    private static List<Violation> check(ImLink link, ChaosCluster cluster, Map<String, List<Step>> histories) {
        Map<String, String> stored;
        try {
            stored = link.api().storedStates();
        } catch (IOException e) {
            return List.of(new Violation(Violation.Kind.RESTART, null, "the IM does not list its jobs: " + e.getMessage()));
        }
        return EndStateCheck.check(histories, stored, cluster.objects());
    }

    private void report(int kills, RequestCounts counts, Map<FaultKind, Long> injected, List<Violation> violations) {
        out.println();
        out.println("Kills survived: " + kills + " of " + options.kills());
        out.println("Requests: " + counts.requests(null) + " sent (" + counts.items(null) + " job items), "
                + counts.requests(Outcome.ACCEPTED) + " accepted, " + counts.requests(Outcome.ERROR) + " failed with an error, "
                + counts.requests(Outcome.NO_ANSWER) + " without an answer, " + counts.requests(Outcome.NOT_DELIVERED)
                + " not delivered");
        out.print(counts.byOperation());
        if (injected != null) {
            Map<FaultKind, Long> byKind = new java.util.TreeMap<>();
            EmbeddedApiFaults.KINDS.forEach(kind -> byKind.put(kind, injected.getOrDefault(kind, 0L)));
            out.println("Injected API faults: " + byKind.values().stream().mapToLong(Long::longValue).sum() + " " + byKind);
        }
        if (violations.isEmpty()) {
            out.println("Violations: none");
            out.println("Result: PASSED");
            return;
        }
        out.println("Violations (" + violations.size() + "):");
        violations.forEach(v -> out.println("  " + v));
        Map<Violation.Kind, Long> byKind = new java.util.TreeMap<>();
        violations.forEach(v -> byKind.merge(v.kind(), 1L, Long::sum));
        out.println("Result: FAILED " + byKind);
    }

    /** Starts the IM and points the link at the port it bound; returns its URL. */
    private URI start(ImProcess im, ImLink link) throws ImProcess.StartFailure {
        Map<URI, ProviderApi> apis = new HashMap<>();
        URI url = im.start(served -> {
            try {
                apis.computeIfAbsent(served, link::renew).storedStates();
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        link.markUp();
        return url;
    }

    /** The demo's VM job with the image at {@code image}; each use sets its own {@code id}. */
    static ObjectNode jobTemplate(URI image) {
        try (InputStream in = ChaosRun.class.getResourceAsStream(JOB_TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(JOB_TEMPLATE + " is missing from the host's jar");
            }
            ObjectNode job = (ObjectNode) ProviderApi.JSON.readTree(in.readAllBytes());
            ((ObjectNode) job.at("/status/resolvedApplication/invocation/tool/tool/description")).put("image", image.toString());
            return job;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void say(String format, Object... args) {
        out.printf("[%6.1f s] %s%n", seconds(System.nanoTime() - startNanos), String.format(format, args));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
