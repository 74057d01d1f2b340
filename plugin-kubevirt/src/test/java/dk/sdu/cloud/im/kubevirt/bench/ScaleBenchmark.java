package dk.sdu.cloud.im.kubevirt.bench;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.InstanceEnd;
import dk.sdu.cloud.im.simulator.KubeVirtSimulator;
import dk.sdu.cloud.im.simulator.RequestCounter;
import dk.sdu.cloud.im.simulator.RequestCounts;
import dk.sdu.cloud.im.simulator.SimulatorEvent;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.client.KubernetesClient;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds N running VM jobs (default 1,000) in one process with the API server (fabric8's mock server in CRUD
 * mode) and the KubeVirt simulator, and reports what the IM costs at that scale. A program, not a test: run it
 * with {@code scripts/bench scale [--jobs N] [--changing PERCENT] [--threads P]}.
 *
 * <ol>
 *   <li><b>Heap per job.</b> The heap in use after a full GC is taken with no IM (server and simulator only),
 *   with an empty IM (opened, no jobs), with N jobs running, and after that IM closed (the cluster still holds
 *   the N jobs). The IM's heap is the difference of the last two; per job it is that minus the empty IM's,
 *   divided by N (target under 20 KiB). A class histogram of the same two moments (the JVM's
 *   {@code GC.class_histogram}) says where it goes.</li>
 *   <li><b>State latency.</b> The simulator ends the instances of {@code PERCENT} % of the jobs at once (as a
 *   crash: VMI {@code Failed}); the time from its status write (its {@code VMI_ENDED} event, taken when the write
 *   has returned) to the first job update the IM hands to the host for that job after it (a {@link JobUpdates}
 *   that records arrival times) is one sample. Prints p50, p99 and the largest (target p99 under 50 ms). The
 *   simulator's thread takes the event's time after its write returns: an update that arrives before that (the
 *   thread was not scheduled in between) counts as 0; the time from asking the simulator is printed too.</li>
 *   <li><b>Restart.</b> A new IM over the same cluster: the time {@code open()} takes (informers listed and
 *   synced, the jobs evaluated, resumptions handed out) and the requests it made by verb and resource
 *   (target: a handful of lists and watches, none per job).</li>
 * </ol>
 * Each job's {@code disk.img} is made beforehand, so a start creates the VM running at once.
 */
public final class ScaleBenchmark {
    private static final String NAMESPACE = "scale";
    private static final long MINUTES_10 = 600_000_000_000L;
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)$");

    private final int jobs;
    private final int changingPercent;
    private final int threads;

    private ScaleBenchmark(int jobs, int changingPercent, int threads) {
        this.jobs = jobs;
        this.changingPercent = changingPercent;
        this.threads = threads;
    }

    public static void main(String[] args) throws Exception {
        int jobs = 1000;
        int changing = 10;
        int threads = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--changing" -> changing = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: ScaleBenchmark [--jobs N] [--changing PERCENT] [--threads P]");
                    System.exit(2);
                }
            }
        }
        if (jobs < 1 || changing < 1 || changing > 100 || threads < 1) {
            System.err.println("--jobs and --threads must be positive, --changing 1-100");
            System.exit(2);
        }
        new ScaleBenchmark(jobs, changing, threads).run();
        System.exit(0);
    }

    /** Job updates as the host receives them, with the time each arrived; Core "records" the last state. */
    private static final class ArrivalRecorder implements JobUpdates {
        final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
        final Map<String, List<String>> texts = new ConcurrentHashMap<>();
        final Map<String, JobUpdate> lastState = new ConcurrentHashMap<>();

        @Override
        public void send(String jobId, JobUpdate update) {
            long now = System.nanoTime();
            arrivals.computeIfAbsent(jobId, id -> Collections.synchronizedList(new ArrayList<>())).add(now);
            texts.computeIfAbsent(jobId, id -> Collections.synchronizedList(new ArrayList<>()))
                    .add(now + " " + update.state() + " " + update.status());
            if (update.state() != null) {
                lastState.put(jobId, update);
            }
        }

        @Override
        public Optional<JobUpdate> lastRecorded(String jobId) {
            return Optional.ofNullable(lastState.get(jobId));
        }

        JobState stateOf(String jobId) {
            JobUpdate last = lastState.get(jobId);
            return last == null ? null : last.state();
        }

        /** The first arrival at or after a moment, or -1. */
        long firstArrivalFrom(String jobId, long from) {
            List<Long> list = arrivals.getOrDefault(jobId, List.of());
            synchronized (list) {
                return list.stream().filter(at -> at >= from).findFirst().orElse(-1L);
            }
        }
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "ScaleBenchmark: %d running VM jobs (the example job-vm.json), %d %% of them "
                + "changing state at once, starts from %d threads; %d CPUs, Java %s, max heap %d MiB%n", jobs,
                changingPercent, threads, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        Path root = Files.createTempDirectory("kubevirt-scale-");
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start();
             KubeVirtSimulator simulator = KubeVirtSimulator.start(embedded.newClient(), NAMESPACE)) {
            BenchJobs bench = new BenchJobs(NAMESPACE, new TestFileSystem(root));
            ExampleProvider provider = bench.provider(threads);
            List<Job> jobList = bench.jobs("s", jobs);
            ArrivalRecorder updates = new ArrivalRecorder();
            // An empty IM opened and closed once first: what stays after its close (classes' statics, the
            // client's shared pools) is then in both figures of the IM's heap below, not in the IM's.
            KubernetesClient emptyClient = embedded.newClient();
            KubeVirtComputeBackend empty = bench.backend(provider, emptyClient, updates);
            long emptyOpenStart = System.nanoTime();
            empty.open();
            long emptyOpenNanos = System.nanoTime() - emptyOpenStart;
            long withEmpty = usedHeapAfterGc();
            empty.close();
            emptyClient.close();
            empty = null;
            emptyClient = null;
            long noIm = usedHeapAfterGc();
            long emptyIm = withEmpty - noIm;
            System.out.printf(Locale.ROOT, "heap: server and simulator %.1f MiB; an empty IM %.1f MiB (open minus "
                    + "closed)%n", mib(noIm), mib(emptyIm));

            KubernetesClient firstClient = embedded.newClient();
            KubeVirtComputeBackend first = bench.backend(provider, firstClient, updates);
            first.open();

            long startedAt = System.nanoTime();
            each(jobList, threads, first::start);
            awaitAll(jobList, updates, JobState.RUNNING);
            System.out.printf(Locale.ROOT, "started %d jobs and saw them RUNNING in %.1f s%n", jobs,
                    (System.nanoTime() - startedAt) / 1e9);
            awaitIdle(simulator);

            try (KubernetesClient watching = embedded.newClient()) {
                latency(simulator, watching, jobList, updates);
            }
            awaitAll(jobList, updates, JobState.RUNNING);
            awaitIdle(simulator);

            Map<String, long[]> withIm = histogram();
            long full = usedHeapAfterGc();
            first.close();
            firstClient.close();
            // Nothing of the closed IM is reachable from here any more: what the next figure still holds is not its.
            first = null;
            firstClient = null;
            Map<String, long[]> withoutIm = histogram();
            long cluster = usedHeapAfterGc();
            long im = full - cluster;
            double perJob = (im - emptyIm) / (double) jobs;
            System.out.printf(Locale.ROOT, "heap: the IM with %d jobs %.1f MiB; per job beyond the empty IM %.1f KiB "
                    + "(target < 20 KiB)%n", jobs, mib(im), perJob / 1024);
            printTopDifferences(withIm, withoutIm);
            printObjectSizes(embedded);

            RequestCounter counter = new RequestCounter();
            KubernetesClient secondClient = embedded.newClient(counter.installer());
            KubeVirtComputeBackend second = bench.backend(provider, secondClient, updates);
            long restart = System.nanoTime();
            second.open();
            long openNanos = System.nanoTime() - restart;
            RequestCounts atOpen = counter.snapshot();
            awaitIdle(simulator);
            RequestCounts settled = counter.snapshot();
            System.out.printf(Locale.ROOT, "restart with %d jobs: open() %.2f s (an empty IM's, the first in this JVM: "
                    + "%.2f s); requests %s (total %d); by resource %s%n", jobs, openNanos / 1e9,
                    emptyOpenNanos / 1e9, atOpen, atOpen.total(), atOpen.byVerbAndResource());
            System.out.printf(Locale.ROOT, "  and once the simulator is idle again: requests %s%n", settled);
            second.close();
            secondClient.close();
        } finally {
            StartBenchmark.deleteTree(root);
        }
    }

    /** Ends the instances of some jobs at once and measures until the IM hands on an update of each. */
    private void latency(KubeVirtSimulator simulator, KubernetesClient watching, List<Job> jobList,
                         ArrivalRecorder updates) throws InterruptedException {
        Map<String, Long> ended = new ConcurrentHashMap<>();
        // A watch of the benchmark's own on the VMIs: when the API server's news of a failed instance reaches a
        // client (the IM's watch gets it about then), to tell the server's delay from the IM's.
        Map<String, Long> watched = new ConcurrentHashMap<>();
        io.fabric8.kubernetes.client.Watch watch = watching.genericKubernetesResources(
                        dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi.virtualMachineInstances())
                .inNamespace(NAMESPACE).watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action,
                                              io.fabric8.kubernetes.api.model.GenericKubernetesResource vmi) {
                        if ("Failed".equals(vmi.get("status", "phase"))) {
                            watched.putIfAbsent(vmi.getMetadata().getName(), System.nanoTime());
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                });
        java.util.function.Consumer<SimulatorEvent> listener = event -> {
            if (event.type() == SimulatorEvent.Type.VMI_ENDED) {
                ended.putIfAbsent(event.name(), System.nanoTime());
            }
        };
        simulator.addListener(listener);
        List<Job> changing = new ArrayList<>();
        int step = Math.max(1, 100 / changingPercent);
        for (int i = 0; i < jobList.size(); i += step) {
            changing.add(jobList.get(i));
        }
        Map<String, Long> asked = new HashMap<>();
        for (Job job : changing) {
            asked.put(job.id(), System.nanoTime());
            simulator.end(new VmJobNames(job.id()).virtualMachine(), InstanceEnd.CRASH);
        }
        long deadline = System.nanoTime() + MINUTES_10;
        List<Double> millis = new ArrayList<>();
        List<Double> fromAsking = new ArrayList<>();
        List<Double> serverToWatch = new ArrayList<>();
        List<Double> watchToUpdate = new ArrayList<>();
        int early = 0;
        for (Job job : changing) {
            while (true) {
                Long at = ended.get(new VmJobNames(job.id()).virtualMachine());
                // The job ran steadily before: its first update after the end was asked for is the end's news.
                // It may arrive before the simulator's thread took the event's time (that thread was not
                // scheduled between its write and its listener): counted as 0.
                long arrival = at == null ? -1 : updates.firstArrivalFrom(job.id(), asked.get(job.id()));
                if (arrival >= 0) {
                    if (arrival < at) {
                        early++;
                    }
                    millis.add(Math.max(0, arrival - at) / 1e6);
                    fromAsking.add((arrival - asked.get(job.id())) / 1e6);
                    Long seen = watched.get(new VmJobNames(job.id()).virtualMachine());
                    if (seen != null) {
                        serverToWatch.add(Math.max(0, seen - at) / 1e6);
                        watchToUpdate.add((arrival - seen) / 1e6);
                    }
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no update of job " + job.id() + " after its instance ended");
                }
                Thread.sleep(5);
            }
        }
        simulator.removeListener(listener);
        watch.close();
        Job example = changing.get(0);
        long at = ended.get(new VmJobNames(example.id()).virtualMachine());
        System.out.printf(Locale.ROOT, "  e.g. job %s, updates around its instance's end (ms after it):%n", example.id());
        List<String> seen = updates.texts.getOrDefault(example.id(), List.of());
        synchronized (seen) {
            for (String text : seen.subList(Math.max(0, seen.size() - 4), seen.size())) {
                int space = text.indexOf(' ');
                System.out.printf(Locale.ROOT, "    %+.1f %s%n", (Long.parseLong(text.substring(0, space)) - at) / 1e6,
                        text.substring(space + 1));
            }
        }
        Collections.sort(millis);
        Collections.sort(fromAsking);
        System.out.printf(Locale.ROOT, "state latency, %d jobs' instances ended at once (simulator's status write -> "
                + "job update handed to the host): p50 %.1f ms, p99 %.1f ms, max %.1f ms (target p99 < 50 ms); %d "
                + "arrived before the simulator took its time (counted as 0)%n", millis.size(), percentile(millis, 50),
                percentile(millis, 99), millis.get(millis.size() - 1), early);
        System.out.printf(Locale.ROOT, "  from asking the simulator (its queue included): p50 %.1f ms, p99 %.1f ms%n",
                percentile(fromAsking, 50), percentile(fromAsking, 99));
        if (!serverToWatch.isEmpty()) {
            Collections.sort(serverToWatch);
            Collections.sort(watchToUpdate);
            System.out.printf(Locale.ROOT, "  split by a watch of the benchmark's own (%d of them): status write -> "
                    + "the watch's event p50 %.1f ms, p99 %.1f ms (the API server); that event -> job update p50 "
                    + "%.1f ms, p99 %.1f ms (the IM; negative: the IM's watch was first)%n", serverToWatch.size(),
                    percentile(serverToWatch, 50), percentile(serverToWatch, 99), percentile(watchToUpdate, 50),
                    percentile(watchToUpdate, 99));
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void awaitAll(List<Job> jobList, ArrivalRecorder updates, JobState state)
            throws InterruptedException {
        long deadline = System.nanoTime() + MINUTES_10;
        while (jobList.stream().anyMatch(job -> updates.stateOf(job.id()) != state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every job is " + state + " after 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    private static void awaitIdle(KubeVirtSimulator simulator) throws InterruptedException {
        long deadline = System.nanoTime() + MINUTES_10;
        while (!simulator.isIdle() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The JVM's class histogram (a full GC first): class name -> {instances, bytes}. */
    private static Map<String, long[]> histogram() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String text = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher matcher = HISTOGRAM_LINE.matcher(line);
            if (matcher.matches()) {
                classes.put(matcher.group(3).trim(),
                        new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))});
            }
        }
        return classes;
    }

    private void printTopDifferences(Map<String, long[]> with, Map<String, long[]> without) {
        System.out.println("  where it goes (class histogram with the IM minus without it, top 15 by bytes):");
        with.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - without.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - without.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(15)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %10d instances %9.1f KiB  %6.1f B/job  %s%n",
                        e.getValue()[0], e.getValue()[1] / 1024.0, e.getValue()[1] / (double) jobs, e.getKey()));
    }

    /**
     * The size of one job's objects as JSON, by kind: what the informers of the IM hold per job (as maps of
     * maps, several times the JSON's size).
     */
    private void printObjectSizes(EmbeddedKubernetes embedded) {
        try (KubernetesClient admin = embedded.newClient()) {
            Map<String, Long> bytes = new java.util.TreeMap<>();
            Map<String, Long> counts = new java.util.TreeMap<>();
            var serialization = admin.getKubernetesSerialization();
            java.util.function.BiConsumer<String, List<? extends io.fabric8.kubernetes.api.model.HasMetadata>> add =
                    (kind, items) -> {
                        for (var item : items) {
                            bytes.merge(kind, (long) serialization.asJson(item).length(), Long::sum);
                            counts.merge(kind, 1L, Long::sum);
                        }
                    };
            add.accept("VirtualMachine", admin.genericKubernetesResources(
                    dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi.virtualMachines()).inNamespace(NAMESPACE).list().getItems());
            add.accept("VirtualMachineInstance", admin.genericKubernetesResources(
                    dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi.virtualMachineInstances()).inNamespace(NAMESPACE)
                    .list().getItems());
            add.accept("Pod", admin.pods().inNamespace(NAMESPACE).list().getItems());
            add.accept("PersistentVolume", admin.persistentVolumes().list().getItems());
            add.accept("PersistentVolumeClaim", admin.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems());
            add.accept("Secret", admin.secrets().inNamespace(NAMESPACE).list().getItems());
            add.accept("Service", admin.services().inNamespace(NAMESPACE).list().getItems());
            add.accept("NetworkPolicy", admin.network().networkPolicies().inNamespace(NAMESPACE).list().getItems());
            StringBuilder line = new StringBuilder();
            long total = 0;
            for (Map.Entry<String, Long> entry : bytes.entrySet()) {
                total += entry.getValue();
                line.append(line.length() == 0 ? "" : ", ").append(entry.getKey()).append(' ')
                        .append(counts.get(entry.getKey()) / jobs).append("x ")
                        .append(String.format(Locale.ROOT, "%.1f KiB", entry.getValue() / 1024.0 / jobs));
            }
            System.out.printf(Locale.ROOT, "  one job's objects as JSON: %.1f KiB (%s)%n", total / 1024.0 / jobs, line);
        }
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static <T> void each(List<T> items, int threads, java.util.function.Consumer<T> task)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.accept(item)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
