package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.metrics.GuestMetricsFeed;
import dk.sdu.cloud.im.kubevirt.metrics.MetricsFeedSettings;
import dk.sdu.cloud.im.kubevirt.metrics.WorkFolderMetricsFeed;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.kubevirt.agent.AgentComponents;
import dk.sdu.cloud.im.kubevirt.disk.DiskOwnership;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparations;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparer;
import dk.sdu.cloud.im.kubevirt.disk.DiskPreparerSettings;
import dk.sdu.cloud.im.kubevirt.disk.ImageAddressPolicy;
import dk.sdu.cloud.im.kubevirt.disk.QemuImg;
import dk.sdu.cloud.im.kubevirt.informers.SharedInformers;
import dk.sdu.cloud.im.kubevirt.reconcile.InformerObjectCache;
import dk.sdu.cloud.im.kubevirt.manifest.PrivateNetworkObjects;
import dk.sdu.cloud.im.kubevirt.reconcile.ObjectReconciler;
import dk.sdu.cloud.im.kubevirt.reconcile.UCloudImAdoption;
import dk.sdu.cloud.im.kubevirt.state.KnownJobStates;
import dk.sdu.cloud.im.kubevirt.state.VmStateTracker;

import java.security.SecureRandom;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The composition root of the backend's lifecycle: the one place where {@link VmJobLifecycle} and what it works
 * with for a namespace are made (the reconciler, the disk preparations, the SSH port allocator, the state
 * tracker, the sweeper of Released volumes, the token source, the job folders, the trash, the memory of
 * terminated jobs, the adoption of UCloud's IM's jobs, the background threads), and of the guest agents' endpoint ({@link #agents()}).
 * {@link #standard()} is how the plugin runs; a test may replace the disk preparations, e.g. to run the
 * lifecycle without qemu-img or to decide when a disk is ready, and the agent endpoint's timers.
 */
public final class LifecycleComponents {
    private static final int BACKGROUND_THREADS = 4;
    /** Terminated job ids remembered besides their volumes' marks: some 100 bytes each. */
    private static final int TERMINATED_REMEMBERED = 10_000;

    private final Function<VmJobLifecycle.Services, ? extends DiskPreparations> diskPreparations;
    private final AgentComponents agents;
    private final Supplier<? extends GuestMetricsFeed> metricsFeeds;

    private LifecycleComponents(Function<VmJobLifecycle.Services, ? extends DiskPreparations> diskPreparations,
                                AgentComponents agents, Supplier<? extends GuestMetricsFeed> metricsFeeds) {
        this.diskPreparations = requireNonNull(diskPreparations, "diskPreparations is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.metricsFeeds = requireNonNull(metricsFeeds, "metricsFeeds is null");
    }

    /**
     * Disks prepared by a {@link DiskPreparer} with its default settings: the golden image cache in the
     * configured folder of the provider file system, qemu-img from the PATH, finished disks owned by 107:107.
     */
    public static LifecycleComponents standard() {
        return new LifecycleComponents(services -> new DiskPreparer(
                DiskPreparerSettings.defaults(DiskPreparerSettings.imageCacheFolder(services.fileSystem(),
                                services.config()))
                        .withImageAddresses(ImageAddressPolicy.of(services.config().imageDownloads())),
                QemuImg.onPath(), DiskPreparer.defaultHttpClient(), DiskOwnership.qemu(), services.clock()),
                AgentComponents.standard(), LifecycleComponents::guestMetrics);
    }

    /**
     * The guests' metrics as their metrics services write them into the jobs' work folders
     * ({@link WorkFolderMetricsFeed}, default settings), with a thread for its safety reads that stops with it.
     */
    private static GuestMetricsFeed guestMetrics() {
        ScheduledExecutorService safetyReads = Executors.newSingleThreadScheduledExecutor(
                daemonThreads("kubevirt-metrics-safety"));
        WorkFolderMetricsFeed feed = new WorkFolderMetricsFeed(safetyReads, daemonThreads("kubevirt-metrics"),
                MetricsFeedSettings.DEFAULTS);
        return new ClosingMetricsFeed(feed, () -> {
            try {
                feed.close();
            } finally {
                safetyReads.shutdownNow();
            }
        });
    }

    /** A feed and what stops its threads. */
    private record ClosingMetricsFeed(GuestMetricsFeed feed, AutoCloseable stop)
            implements GuestMetricsFeed, AutoCloseable {
        @Override
        public AutoCloseable follow(Path workFolder, int rank, Consumer<FollowMessage> sink) {
            return feed.follow(workFolder, rank, sink);
        }

        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    /** The same components, with the disk preparations made by the given function when a lifecycle opens. */
    public LifecycleComponents withDiskPreparations(
            Function<VmJobLifecycle.Services, ? extends DiskPreparations> diskPreparations) {
        return new LifecycleComponents(diskPreparations, agents, metricsFeeds);
    }

    /** The same components, with the agent endpoint made by the given components. */
    public LifecycleComponents withAgents(AgentComponents other) {
        return new LifecycleComponents(diskPreparations, other, metricsFeeds);
    }

    /** The same components, with the guests' metrics read by the given feed (a test's; never closed here). */
    public LifecycleComponents withMetricsFeed(GuestMetricsFeed feed) {
        requireNonNull(feed, "feed is null");
        return new LifecycleComponents(diskPreparations, agents, () -> feed::follow);
    }

    /**
     * Makes what turns the guests' metrics files into follow messages, for a backend that opens; the backend closes
     * it when it closes (when it is {@link AutoCloseable}).
     */
    public GuestMetricsFeed openMetricsFeed() {
        return requireNonNull(metricsFeeds.get(), "no metrics feed");
    }

    /** What makes the guest agents' endpoint (and with it {@link dk.sdu.cloud.im.kubevirt.agent.GuestTtys}). */
    public AgentComponents agents() {
        return agents;
    }

    /**
     * Makes the lifecycle with its collaborators and starts its background work: the disk preparations (a
     * {@link DiskPreparer} opens the golden image cache), the SSH port allocator's and the state tracker's
     * informers, the resumption of half-done work, and the sweeper of Released volumes. Returns once the
     * informers have their first lists; on a failure, what was made is closed again.
     */
    public VmJobLifecycle open(VmJobLifecycle.Services services) {
        requireNonNull(services, "services is null");
        DiskPreparations preparer = requireNonNull(diskPreparations.apply(services), "no disk preparations");
        // The tracker is made before the lifecycle it tells of powered-off guests: bound once both exist,
        // before the tracker starts.
        AtomicReference<Consumer<String>> poweredOff = new AtomicReference<>(job -> { });
        VmJobLifecycle lifecycle;
        try {
            lifecycle = new VmJobLifecycle(services, parts(services, preparer,
                    job -> poweredOff.get().accept(job)));
        } catch (RuntimeException e) {
            preparer.close();
            throw e;
        }
        poweredOff.set(lifecycle::guestPoweredOff);
        lifecycle.startBackgroundWork();
        return lifecycle;
    }

    private static VmJobLifecycle.Parts parts(VmJobLifecycle.Services services, DiskPreparations preparer,
                                              Consumer<String> guestPoweredOff) {
        SecureRandom random = new SecureRandom();
        // One informer per kind for the whole plugin: VMs, Services and PersistentVolumes are each followed by the
        // cache and by one more of its parts, and listed, watched and kept once.
        SharedInformers informers = new SharedInformers(services.client(), services.namespace());
        InformerObjectCache cache = new InformerObjectCache(informers);
        ObjectReconciler reconciler = new ObjectReconciler(services.client(), services.namespace(), cache);
        SshPortAllocator ssh = new SshPortAllocator(informers);
        VmStateTracker tracker = new VmStateTracker(informers, services.updates(), services.clock(), KnownJobStates.recordedBy(services.updates()),
                VmStateTracker.Settings.of(services.config())
                        .withRunningMessage(jobId -> ssh.announcement(jobId, services.sshSettings()))
                        .withGuestPoweredOff(guestPoweredOff));
        ExecutorService background = Executors.newFixedThreadPool(BACKGROUND_THREADS,
                daemonThreads("kubevirt-lifecycle"));
        ReleasedVolumeSweeper sweeper = new ReleasedVolumeSweeper(informers, reconciler, background);
        return new VmJobLifecycle.Parts(cache, reconciler, preparer, ssh, tracker, sweeper,
                new AgentTokenSource(services.client(), services.namespace(), random, cache),
                new JobFolders(services.fileSystem()), new DiskTrash(services.fileSystem(), random),
                new TerminatedJobs(TERMINATED_REMEMBERED, sweeper::seen),
                new UCloudImAdoption(services.client(), services.namespace()),
                new PrivateNetworkMembership(services.client(), services.namespace(),
                        new PrivateNetworkObjects(services.namespace())),
                new ServiceAddressReporter(services.client(), services.namespace(), services.updates(), cache),
                background, informers);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
