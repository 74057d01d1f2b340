package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Prepares jobs' VM disks off the caller's thread: the golden image from the cache (downloaded once when
 * missing), converted to the job's raw {@code disk.img} and grown to the requested size.
 *
 * <p>{@link #prepare} returns at once. The work runs on this preparer's own bounded pool; progress goes to
 * the given listener. A second request for a job whose preparation is running joins it. A job that already
 * has its {@code disk.img} gets it back untouched. A failure leaves no partial file behind and the next
 * {@code prepare} for the job starts over, so the caller retries by calling again (e.g. at the next start
 * reconcile). Nothing is remembered in memory between preparations: an IM restart finds the cache and the
 * disks on the file system.
 */
public final class DiskPreparer implements DiskPreparations {
    private static final Logger log = LoggerFactory.getLogger(DiskPreparer.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final GoldenImageCache cache;
    private final JobDisk jobDisk;
    private final ThreadPoolExecutor workers;
    private final ExecutorService downloads;
    private final ScheduledExecutorService watchdog;
    private final Object lock = new Object();
    private final Map<String, Running> running = new HashMap<>();
    private boolean closed;

    /** One job's preparation, with everyone who asked for it. */
    private static final class Running {
        final DiskPreparationRequest request;
        final CompletableFuture<PreparedDisk> result = new CompletableFuture<>();
        final ProgressFanout<DiskPreparationEvent> progress = new ProgressFanout<>();
        final AtomicBoolean started = new AtomicBoolean();
        /** Set by cancel and close; interrupts alone do not reach every blocking call (see ImageDownloader). */
        final AtomicBoolean cancelled = new AtomicBoolean();
        Future<?> task;

        Running(DiskPreparationRequest request) {
            this.request = request;
        }
    }

    /**
     * Opens the image cache folder (creating it, deleting stale unfinished downloads) and starts the pool.
     *
     * @param settings   folders, pool size, timeouts
     * @param qemuImg    the qemu-img program
     * @param httpClient the client for image downloads; it must not follow redirects (the preparer follows
     *                   them, checking each address), as {@link #defaultHttpClient()}
     * @param ownership  what owner finished disks get ({@link DiskOwnership#qemu()} in production)
     * @param clock      the time against which unfinished downloads are judged stale
     * @throws java.io.UncheckedIOException when the cache folder cannot be created or read
     * @throws IllegalArgumentException     when the client follows redirects
     */
    public DiskPreparer(DiskPreparerSettings settings, QemuImg qemuImg, HttpClient httpClient,
                        DiskOwnership ownership, Clock clock) {
        // Its thread starts with the first download, so nothing is left running if a check below fails.
        this(settings, qemuImg, httpClient, ownership, clock, HostResolver.system(),
                Executors.newSingleThreadScheduledExecutor(daemonThreads("disk-download-watchdog")));
    }

    /**
     * As above, with the resolver that image hosts are checked with, and the executor that ticks the download
     * watchdog (stall and cancel checks): tests resolve names and tick it by hand. The preparer owns the
     * watchdog and shuts it down on {@link #close}.
     */
    DiskPreparer(DiskPreparerSettings settings, QemuImg qemuImg, HttpClient httpClient, DiskOwnership ownership,
                 Clock clock, HostResolver resolver, ScheduledExecutorService watchdog) {
        requireNonNull(settings, "settings is null");
        requireNonNull(qemuImg, "qemuImg is null");
        requireNonNull(httpClient, "httpClient is null");
        requireNonNull(ownership, "ownership is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(resolver, "resolver is null");
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        // A thread per download: there are at most as many as workers wait for, plus those being stopped. The
        // downloads' background forces to disk run there too, at most one per download.
        this.downloads = Executors.newCachedThreadPool(daemonThreads("disk-download"));
        ImageDownloader downloader;
        try {
            downloader = new ImageDownloader(httpClient, watchdog, downloads, settings.responseTimeout(),
                    settings.downloadIdleTimeout(), settings.imageAddresses(), resolver);
        } catch (RuntimeException e) {
            downloads.shutdownNow();
            watchdog.shutdownNow();
            throw e;
        }
        this.cache = new GoldenImageCache(settings.imageCacheFolder(), downloader, qemuImg, clock,
                settings.staleTempAge(), downloads);
        this.jobDisk = new JobDisk(qemuImg, ownership);
        try {
            cache.open();
        } catch (RuntimeException e) {
            downloads.shutdownNow();
            watchdog.shutdownNow();
            throw e;
        }
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                settings.maxQueued() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.maxQueued()),
                daemonThreads("disk-preparer"));
    }

    /** A preparer with {@link DiskPreparerSettings#defaults}, qemu-img from the PATH, chown to 107:107. */
    public static DiskPreparer withDefaults(Path imageCacheFolder) {
        return new DiskPreparer(DiskPreparerSettings.defaults(imageCacheFolder), QemuImg.onPath(),
                defaultHttpClient(), DiskOwnership.qemu(), Clock.systemUTC());
    }

    /**
     * An HTTP client that connects within 30 s and follows no redirects: the preparer follows them itself
     * (never from https to http), checking each address.
     */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Where a job's finished disk is: {@code <jobFolder>/disk.img}. */
    public static Path diskPath(Path jobFolder) {
        return jobFolder.resolve(JobDisk.DISK_FILE);
    }

    /**
     * Prepares the job's disk in the background.
     *
     * @param listener receives this preparation's progress, ending with a DONE or FAILED event
     * @return completes with the disk, or exceptionally with a {@link DiskPreparationException} whose message is
     *         the reason; cancelling the returned future does not stop the work (use {@link #cancel})
     */
    public CompletableFuture<PreparedDisk> prepare(DiskPreparationRequest request, DiskPreparationListener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        String jobId = request.jobId();
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new DiskPreparationException("the disk preparer is closed"));
            }
            Running current = running.get(jobId);
            if (current != null) {
                if (!current.request.equals(request)) {
                    DiskPreparationException conflict = new DiskPreparationException("a disk preparation for job "
                            + jobId + " with other parameters is running; try again when it has ended");
                    listener.onEvent(DiskPreparationEvent.failed(jobId, conflict.getMessage()));
                    return CompletableFuture.failedFuture(conflict);
                }
                log.debug("Job {} joins its running disk preparation", jobId);
                current.progress.add(listener::onEvent);
                return current.result.copy();
            }
            Running fresh = new Running(request);
            fresh.progress.add(listener::onEvent);
            // Registered before it is submitted: a quick preparation must find itself to remove itself.
            running.put(jobId, fresh);
            try {
                fresh.task = workers.submit(() -> execute(fresh));
            } catch (RejectedExecutionException e) {
                running.remove(jobId);
                DiskPreparationException full = new DiskPreparationException("too many disk preparations are "
                        + "waiting; try again later");
                listener.onEvent(DiskPreparationEvent.failed(jobId, full.getMessage()));
                return CompletableFuture.failedFuture(full);
            }
            return fresh.result.copy();
        }
    }

    /**
     * Whether the job's disk is there already, so that {@link #prepare} would hand it back untouched: no
     * preparation of the job is running and its {@code disk.img} is a regular file. Reads the file system on
     * the caller's thread (no pool, no listener). A job folder or disk that is something else (e.g. a symbolic
     * link) counts as not prepared; {@link #prepare} then says what is wrong.
     */
    public boolean isPrepared(DiskPreparationRequest request) {
        requireNonNull(request, "request is null");
        synchronized (lock) {
            if (running.containsKey(request.jobId())) {
                return false;
            }
        }
        try {
            return jobDisk.existing(request).isPresent();
        } catch (DiskPreparationException notUsable) {
            return false;
        }
    }

    /** Whether a preparation for the job is queued or running. */
    public boolean isRunning(String jobId) {
        synchronized (lock) {
            return running.containsKey(jobId);
        }
    }

    /**
     * Stops the job's preparation, e.g. when the job is terminated: qemu-img is killed, unfinished files are
     * removed, and the preparation fails with "cancelled". The job stops waiting for its image's download; the
     * download goes on for other jobs that wait for it, and is aborted (its file removed) only when no job
     * waits for it any more.
     *
     * @return whether there was a preparation to stop
     */
    public boolean cancel(String jobId) {
        Running target;
        synchronized (lock) {
            target = running.get(jobId);
        }
        if (target == null) {
            return false;
        }
        target.cancelled.set(true);
        if (target.started.compareAndSet(false, true)) {
            target.task.cancel(false);
            finish(target, null, new DiskPreparationException("cancelled before it started"));
        } else {
            target.task.cancel(true);
        }
        return true;
    }

    private void execute(Running job) {
        if (!job.started.compareAndSet(false, true)) {
            return;
        }
        DiskPreparationRequest request = job.request;
        try {
            finish(job, prepareNow(job), null);
        } catch (Throwable e) {
            DiskPreparationException failure = asFailure(e);
            if (job.cancelled.get() && !failure.getMessage().startsWith("cancelled")) {
                failure = new DiskPreparationException("cancelled (" + failure.getMessage() + ")", e);
            }
            log.warn("Preparing the disk of job {} failed: {}", request.jobId(), failure.getMessage(), e);
            finish(job, null, failure);
        }
    }

    private PreparedDisk prepareNow(Running job) throws IOException {
        DiskPreparationRequest request = job.request;
        ProgressFanout<DiskPreparationEvent> progress = job.progress;
        String jobId = request.jobId();
        Optional<Path> existing = jobDisk.existing(request);
        if (existing.isPresent()) {
            log.info("Job {} already has its disk {}; leaving it as it is", jobId, existing.get());
            return new PreparedDisk(jobId, existing.get(), true);
        }
        log.info("Preparing the disk of job {}: {} GiB from {}", jobId, request.sizeGiB(), request.imageKey());
        GoldenImage golden = cache.obtain(request, event -> progress.emit(DiskPreparationEvent.of(jobId, event)),
                job.cancelled::get);
        Path disk = jobDisk.make(request, golden, progress::emit, job.cancelled::get);
        return new PreparedDisk(jobId, disk, false);
    }

    /** Removes the job from the running set first, so that a call made on completion starts afresh. */
    private void finish(Running job, PreparedDisk disk, DiskPreparationException failure) {
        synchronized (lock) {
            running.remove(job.request.jobId(), job);
        }
        String jobId = job.request.jobId();
        if (failure == null) {
            job.progress.emit(DiskPreparationEvent.done(jobId, job.request.sizeGiB(), disk.alreadyThere()));
            job.result.complete(disk);
        } else {
            job.progress.emit(DiskPreparationEvent.failed(jobId, failure.getMessage()));
            job.result.completeExceptionally(failure);
        }
    }

    private static DiskPreparationException asFailure(Throwable e) {
        if (e instanceof DiskPreparationException failure) {
            return failure;
        }
        if (e instanceof InterruptedIOException || e instanceof InterruptedException) {
            return new DiskPreparationException("cancelled (" + e.getMessage() + ")", e);
        }
        if (e instanceof IOException) {
            return new DiskPreparationException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        return new DiskPreparationException("unexpected error: " + e, e);
    }

    /**
     * Stops the pool: running preparations are interrupted (qemu-img killed, downloads aborted, unfinished
     * files removed) and fail with "cancelled", queued ones fail with "closed". What was interrupted is
     * redone by the next {@code prepare} after a restart. Waits up to 30 s for the workers and downloads to stop.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            running.values().forEach(job -> job.cancelled.set(true));
        }
        // Interrupted workers stop waiting for their downloads (the last to leave one stops it); the downloads
        // are interrupted as well, so a job still waiting for one fails saying the preparer is closing.
        workers.shutdownNow();
        downloads.shutdownNow();
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            if (!workers.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)
                    || !downloads.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("Disk preparations did not stop within {}", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Only now: the watchdog is what wakes an interrupted download blocked reading its body.
            watchdog.shutdownNow();
        }
        List<Running> left;
        synchronized (lock) {
            left = new ArrayList<>(running.values());
        }
        for (Running job : left) {
            if (job.started.compareAndSet(false, true)) {
                finish(job, null, new DiskPreparationException("the disk preparer was closed before it started"));
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
