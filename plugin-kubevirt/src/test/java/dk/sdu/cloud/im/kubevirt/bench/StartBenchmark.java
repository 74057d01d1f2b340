package dk.sdu.cloud.im.kubevirt.bench;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjects;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobRuntimeInputs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.RequestCounter;
import dk.sdu.cloud.im.simulator.RequestCounts;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.Job;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Starts N VM jobs through {@link KubeVirtComputeBackend#start} against an in-process API server and compares
 * it with the floor: a bare loop that creates the same objects with fabric8 directly. Prints jobs/s, API
 * requests per job by verb, the ratio of the two times, and the requests of a second start of every job when
 * nothing changed. A program, not a test: run it with {@code scripts/bench [--jobs N] [--threads P]}.
 *
 * <p>Two modes, each with both sides: sequential (one job after the other) and parallel ({@code P} threads
 * calling {@code start} at the same time, as the host's job driver workers do; the backend's
 * {@code maxParallelStarts} is set to {@code P}; the floor creates jobs' objects from {@code P} threads too).
 * The parallel plugin is compared with the sequential floor (the request floor of one client that waits for
 * each answer; target at least 1.5x faster) and with the parallel floor (what the API server allows).
 *
 * <p>Each side runs against a fresh embedded API server
 * (fabric8's mock server in CRUD mode), after a warm-up of both on throwaway servers. The JIT keeps compiling
 * the client, Jackson and the mock server long after a short warm-up, which favours whichever side runs later,
 * so the sides are measured in rounds of alternating order (floor first, then plugin first, ...) and compared
 * by their best times (their means are printed too). Every job's {@code disk.img} is made beforehand, so a
 * start finds its disk ready (no download, no qemu-img) and creates the VM running at once. No KubeVirt
 * simulator runs: "the VM running" means {@code spec.runStrategy: RerunOnFailure}, and both sides measure only their
 * own API work.
 */
public final class StartBenchmark {
    private static final String NAMESPACE = "bench";

    private final int jobs;
    private final int warmup;
    private final int rounds;
    private final int threads;
    private final Duration apiLatency;

    private StartBenchmark(int jobs, int warmup, int rounds, int threads, Duration apiLatency) {
        this.jobs = jobs;
        this.warmup = warmup;
        this.rounds = rounds;
        this.threads = threads;
        this.apiLatency = apiLatency;
    }

    public static void main(String[] args) throws Exception {
        int jobs = 500;
        int warmup = 150;
        int rounds = 2;
        int threads = 8;
        int apiLatencyMillis = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--api-latency-ms" -> apiLatencyMillis = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: StartBenchmark [--jobs N] [--warmup N] [--rounds N] [--threads P] "
                            + "[--api-latency-ms MS]");
                    System.exit(2);
                }
            }
        }
        if (jobs < 1 || warmup < 0 || rounds < 1 || threads < 2 || apiLatencyMillis < 0) {
            System.err.println("--jobs and --rounds must be positive, --warmup and --api-latency-ms not negative, "
                    + "--threads at least 2");
            System.exit(2);
        }
        new StartBenchmark(jobs, warmup, rounds, threads, Duration.ofMillis(apiLatencyMillis)).run();
        System.exit(0);
    }

    /** One measured run of one side. */
    private record Run(int jobs, long nanos, long cpuNanos, RequestCounts requests) {
        double seconds() {
            return nanos / 1e9;
        }

        double jobsPerSecond() {
            return jobs / seconds();
        }

        /** CPU time of the whole process (client, plugin, API server) per job. */
        double cpuMillisPerJob() {
            return cpuNanos / 1e6 / jobs;
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "StartBenchmark: %d VM jobs (the example job-vm.json: 2 folders, SSH), "
                + "%d CPUs, Java %s%n", jobs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.println("API server: EmbeddedKubernetes (fabric8 mock server, CRUD mode, in process), a fresh one per "
                + "measured run. Modes: sequential (jobs one after the other) and parallel (" + threads + " threads "
                + "calling start at once; maxParallelStarts " + threads + "; the floor from " + threads + " threads too).");
        System.out.println(apiLatency.isZero()
                ? "API latency: none (every answer leaves as soon as the server has made it: what a request costs is "
                        + "this machine's CPU, shared by the server and its client)."
                : "API latency: " + apiLatency.toMillis() + " ms (every answer but a watch's leaves that long after "
                        + "the server made it, as a real API server answers once etcd has committed; the wait holds no "
                        + "thread and no CPU).");
        System.out.println("Disks pre-made: every job's disk.img exists before its start, so the start finds the disk "
                + "ready (no download, no qemu-img) and creates the VM running at once.");
        System.out.println("'VM running' = spec.runStrategy RerunOnFailure; no KubeVirt simulator runs (both sides measure only "
                + "their own API work). SSH ports from " + BenchJobs.SSH_PORT_MIN + ".");
        if (warmup > 0) {
            System.out.printf(Locale.ROOT, "Warm-up: %d jobs each side and mode on throwaway servers (not counted).%n",
                    warmup);
            plugin(warmup, 1, false, false);
            floor(warmup, 1, false);
            plugin(warmup, threads, false, false);
            floor(warmup, threads, false);
        }
        System.out.printf(Locale.ROOT, "Measured: %d round(s), each side and mode once per round, alternating which "
                + "side goes first; 'cpu' is the CPU time of the whole process (client, plugin, API server) per job.%n",
                rounds);
        List<Run> plugins = new ArrayList<>();
        List<Run> floors = new ArrayList<>();
        List<Run> parallelPlugins = new ArrayList<>();
        List<Run> parallelFloors = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.println();
            System.out.println("round " + round + ":");
            boolean last = round == rounds;
            if (round % 2 == 1) {
                floors.add(floor(jobs, 1, true));
                plugins.add(plugin(jobs, 1, true, last));
                parallelFloors.add(floor(jobs, threads, true));
                parallelPlugins.add(plugin(jobs, threads, true, false));
            } else {
                plugins.add(plugin(jobs, 1, true, last));
                floors.add(floor(jobs, 1, true));
                parallelPlugins.add(plugin(jobs, threads, true, false));
                parallelFloors.add(floor(jobs, threads, true));
            }
        }
        Run bestPlugin = best(plugins);
        Run bestFloor = best(floors);
        Run bestParallel = best(parallelPlugins);
        Run bestParallelFloor = best(parallelFloors);
        System.out.println();
        System.out.printf(Locale.ROOT, "best sequential: plugin %.2f s = %.1f jobs/s, floor %.2f s = %.1f jobs/s%n",
                bestPlugin.seconds(), bestPlugin.jobsPerSecond(), bestFloor.seconds(), bestFloor.jobsPerSecond());
        System.out.printf(Locale.ROOT, "best parallel (%d threads): plugin %.2f s = %.1f jobs/s, floor %.2f s = %.1f "
                + "jobs/s%n", threads, bestParallel.seconds(), bestParallel.jobsPerSecond(),
                bestParallelFloor.seconds(), bestParallelFloor.jobsPerSecond());
        System.out.printf(Locale.ROOT, "sequential ratio plugin/floor time: %.2f (best), %.2f (mean)  (target <= 1.10)%n",
                bestPlugin.seconds() / bestFloor.seconds(), mean(plugins) / mean(floors));
        System.out.printf(Locale.ROOT, "parallel plugin speed-up over the sequential floor: %.2fx (best), %.2fx (mean)  "
                + "(target >= 1.5)%n", bestFloor.seconds() / bestParallel.seconds(), mean(floors) / mean(parallelPlugins));
        System.out.printf(Locale.ROOT, "parallel ratio plugin/floor time: %.2f (best), %.2f (mean)%n",
                bestParallel.seconds() / bestParallelFloor.seconds(), mean(parallelPlugins) / mean(parallelFloors));
        System.out.printf(Locale.ROOT, "requests per job, sequential plugin: %s; parallel plugin: %s%n",
                perJob(bestPlugin.requests(), jobs), perJob(bestParallel.requests(), jobs));
    }

    private static Run best(List<Run> runs) {
        return runs.stream().min(Comparator.comparingLong(Run::nanos)).orElseThrow();
    }

    private static double mean(List<Run> runs) {
        return runs.stream().mapToDouble(Run::seconds).average().orElseThrow();
    }

    /** Runs each task, from {@code threads} threads at once when more than one; returns once all are done. */
    private static <T> void each(List<T> items, int threads, ThrowingConsumer<T> task) throws InterruptedException {
        if (threads == 1) {
            for (T item : items) {
                task.accept(item);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    task.accept(item);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a start failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A task of {@link #each}. */
    @FunctionalInterface
    private interface ThrowingConsumer<T> {
        void accept(T item);
    }

    /**
     * Starts the jobs through the backend; with {@code report}, prints the run; with {@code again}, then starts
     * every job a second time and prints what that did.
     */
    private Run plugin(int count, int threads, boolean report, boolean again) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("kubevirt-bench-");
        try (EmbeddedKubernetes embedded = server()) {
            BenchJobs bench = new BenchJobs(NAMESPACE, new TestFileSystem(root));
            ExampleProvider provider = bench.provider(threads);
            List<Job> jobList = bench.jobs("b", count);
            RequestCounter counter = new RequestCounter();
            KubernetesClient client = embedded.newClient(counter.installer());
            AtomicLong updatesSent = new AtomicLong();
            JobUpdates updates = (jobId, update) -> updatesSent.incrementAndGet();
            KubeVirtComputeBackend backend = bench.backend(provider, client, updates);
            long openStart = System.nanoTime();
            backend.open();
            long openNanos = System.nanoTime() - openStart;
            RequestCounts afterOpen = counter.snapshot();

            long cpu = processCpuNanos();
            long start = System.nanoTime();
            each(jobList, threads, backend::start);
            awaitRunning(embedded, count);
            Run run = new Run(count, System.nanoTime() - start, processCpuNanos() - cpu,
                    counter.snapshot().minus(afterOpen));

            if (report) {
                System.out.printf(Locale.ROOT, "plugin %s: KubeVirtComputeBackend.start x %d: %.2f s = %.1f jobs/s, "
                        + "cpu %.0f ms/job%n", mode(threads), count, run.seconds(), run.jobsPerSecond(),
                        run.cpuMillisPerJob());
                System.out.printf(Locale.ROOT, "  open() before it (informers listed, nothing to resume): %.2f s, "
                        + "requests %s%n", openNanos / 1e9, afterOpen);
                printPerJob(run);
            }
            if (again) {
                RequestCounts before = counter.snapshot();
                long second = System.nanoTime();
                for (Job job : jobList) {
                    backend.start(job);
                }
                long secondNanos = System.nanoTime() - second;
                RequestCounts counts = counter.snapshot().minus(before);
                System.out.printf(Locale.ROOT, "second start of all %d jobs, nothing changed: %.2f s, requests %s, "
                        + "writes %d (target 0)%n", count, secondNanos / 1e9, counts, counts.writes());
                System.out.printf(Locale.ROOT, "  per job: %s%n", perJob(counts, count));
                System.out.printf(Locale.ROOT, "  job updates the plugin sent in this run: %d%n", updatesSent.get());
            }
            backend.close();
            return run;
        } finally {
            deleteTree(root);
        }
    }

    /** Creates the same objects with fabric8 directly, one job after the other. */
    private Run floor(int count, int threads, boolean report) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("kubevirt-bench-floor-");
        try (EmbeddedKubernetes embedded = server()) {
            BenchJobs bench = new BenchJobs(NAMESPACE, new TestFileSystem(root));
            ExampleProvider provider = bench.provider(threads);
            List<VmJobObjects> objects = new ArrayList<>();
            int port = BenchJobs.SSH_PORT_MIN;
            for (Job job : bench.jobs("b", count)) {
                VmJobPlan plan = provider.admission().admit(job);
                objects.add(provider.objectsFactory().build(plan, VmJobRuntimeInputs.running(
                        new AgentTokens("agent-" + job.id(), "server-" + job.id()), List.of("ssh-ed25519 AAAA alice"),
                        OptionalInt.of(port++))));
            }
            RequestCounter counter = new RequestCounter();
            KubernetesClient client = embedded.newClient(counter.installer());

            long cpu = processCpuNanos();
            long start = System.nanoTime();
            each(objects, threads, job -> {
                GenericKubernetesResource vm = client.genericKubernetesResources(KubeVirtApi.virtualMachines())
                        .inNamespace(NAMESPACE).resource(job.virtualMachine()).create();
                for (HasMetadata volume : job.persistentVolumes()) {
                    client.resource(volume).create();
                }
                for (HasMetadata owned : job.ownedByVirtualMachine()) {
                    owned.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                            .withApiVersion(KubeVirtApi.API_VERSION).withKind(KubeVirtApi.VIRTUAL_MACHINE_KIND)
                            .withName(vm.getMetadata().getName()).withUid(vm.getMetadata().getUid()).build()));
                    client.resource(owned).inNamespace(NAMESPACE).create();
                }
            });
            awaitRunning(embedded, count);
            Run run = new Run(count, System.nanoTime() - start, processCpuNanos() - cpu, counter.snapshot());
            if (report) {
                System.out.printf(Locale.ROOT, "floor %s: fabric8 create of the same objects x %d: %.2f s = %.1f "
                        + "jobs/s, cpu %.0f ms/job%n", mode(threads), count, run.seconds(), run.jobsPerSecond(),
                        run.cpuMillisPerJob());
                printPerJob(run);
            }
            return run;
        } finally {
            deleteTree(root);
        }
    }

    /** A fresh API server with the run's latency. */
    private EmbeddedKubernetes server() {
        EmbeddedKubernetes embedded = EmbeddedKubernetes.start();
        embedded.latency(apiLatency);
        return embedded;
    }

    private static String mode(int threads) {
        return threads == 1 ? "sequential" : "parallel x" + threads;
    }

    private static void printPerJob(Run run) {
        System.out.printf(Locale.ROOT, "  requests per job: %s  (total %.2f)%n", perJob(run.requests(), run.jobs()),
                (double) run.requests().total() / run.jobs());
        StringBuilder resources = new StringBuilder();
        run.requests().byVerbAndResource().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
                resources.append(resources.length() == 0 ? "" : ", ").append(entry.getKey()).append('=')
                        .append(String.format(Locale.ROOT, "%.2f", (double) entry.getValue() / run.jobs())));
        System.out.println("  by resource: " + resources);
    }

    private static String perJob(RequestCounts counts, int jobs) {
        StringBuilder text = new StringBuilder();
        for (ApiVerb verb : ApiVerb.values()) {
            long count = counts.of(verb);
            if (count != 0) {
                text.append(text.length() == 0 ? "" : " ").append(verb.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(String.format(Locale.ROOT, "%.2f", (double) count / jobs));
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }

    /** Every job's VM exists with runStrategy RerunOnFailure, and its Services and claims exist. */
    private static void awaitRunning(EmbeddedKubernetes embedded, int count) throws InterruptedException {
        KubernetesClient admin = embedded.newClient();
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (true) {
            long running = admin.genericKubernetesResources(KubeVirtApi.virtualMachines()).inNamespace(NAMESPACE)
                    .list().getItems().stream().filter(vm -> "RerunOnFailure".equals(vm.get("spec", "runStrategy"))).count();
            int services = admin.services().inNamespace(NAMESPACE).list().getItems().size();
            int claims = admin.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().size();
            if (running == count && services == 2 * count && claims == 6 * count) {
                admin.close();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all jobs run: " + running + " VMs running, " + services
                        + " Services, " + claims + " claims for " + count + " jobs");
            }
            Thread.sleep(10);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
