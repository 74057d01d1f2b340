package dk.sdu.cloud.im.harness.jobs;

import dk.sdu.cloud.im.harness.time.DelayTimer;
import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.api.RequestedWork;
import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Carries out each job's last accepted request, as the job store records it, on the job's compute backend:
 * {@code start}, {@code suspend}, {@code unsuspend} or {@code terminate}, all idempotent by the backend contract.
 *
 * <p><b>Bounded and fair.</b> A fixed number of workers ({@link JobDriverSettings#workers()}) take jobs first come
 * first served; a job is with one worker at a time, so its operations run one after the other in the order they
 * were accepted, and a slow job holds up only its own worker.
 *
 * <p><b>The last word counts.</b> A worker reads the job's request from the store when it begins, not when it was
 * asked: a request overtaken by a later one (an unsuspend followed by a terminate) is never carried out after it.
 * A request that came while the job was with a worker is carried out once the worker is done.
 *
 * <p><b>Outcomes.</b> Done: the store records the request carried out. Rejected by the backend
 * ({@link JobRejectedException}): the job becomes FAILURE with the backend's reason, as a backend's own update
 * would. Failed otherwise: the job gets a status message naming the backend, the operation and a short reason
 * (once per distinct reason), and the operation is tried again after 1 s, 2 s, 4 s, ... up to
 * {@link JobDriverSettings#maxRetryDelay()}, until it succeeds or a later request replaces it.
 *
 * <p><b>Start and stop.</b> {@link #start()} hands the workers every job the store says must be carried on
 * ({@link JobStore#jobsToCarryOn()}): requests a previous IM accepted but did not carry out, and the last request of
 * every job that is neither terminated nor ended, asked again (an embedded cluster loses its objects with the IM;
 * a real one finds nothing to change). {@link #close()} stops taking work and waits a bounded time for the
 * operations under way; what is cut off is still pending in the store and is carried out at the next start.
 */
public final class JobDriver implements RequestedWork, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobDriver.class);

    private final JobStore store;
    private final JobUpdates updates;
    private final ComputeBackends backends;
    private final JobDriverSettings settings;
    private final DelayTimer timer;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final DriverQueue queue = new DriverQueue();
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;
    private volatile boolean closing;

    /**
     * @param store    where the requests are recorded
     * @param updates  where the driver's own job updates go (a rejection's FAILURE, a failure's message): the
     *                 host's job updates, as the backends' go
     * @param backends the compute backends, chosen by each job's tool backend
     * @param settings how many workers, how retries wait, how long a close waits
     * @param timer    waits before retries
     * @param clock    the time of the updates it records
     */
    public JobDriver(JobStore store, JobUpdates updates, ComputeBackends backends, JobDriverSettings settings,
                     DelayTimer timer, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.updates = requireNonNull(updates, "updates is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.clock = requireNonNull(clock, "clock is null");
        AtomicInteger number = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.workers(), task -> {
            Thread thread = new Thread(task, "job-driver-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the workers and hands them every job the store says must be carried on (see the class comment).
     * Call it once the backends are open. Jobs {@linkplain #requested requested} before wait for it.
     */
    public void start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("the job driver was started already");
            }
            started = true;
            for (int i = 0; i < settings.workers(); i++) {
                workers.execute(this::work);
            }
        }
        List<String> carryOn = store.jobsToCarryOn();
        carryOn.forEach(id -> queue.offer(id, true));
        LOG.info("Job driver: {} worker(s); carrying on with {} recorded job(s)", settings.workers(), carryOn.size());
    }

    @Override
    public void requested(List<String> jobIds) {
        requireNonNull(jobIds, "jobIds is null");
        jobIds.forEach(id -> queue.offer(id, false));
    }

    /** How many jobs wait for a worker. */
    public int waiting() {
        return queue.waiting();
    }

    /**
     * Stops taking work, waits up to {@link JobDriverSettings#shutdownWait()} for the operations under way, then
     * interrupts them. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing = true;
        queue.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(settings.shutdownWait().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Job driver: operations still under way after {} were interrupted; they are carried out "
                        + "at the next start", settings.shutdownWait());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    private void work() {
        while (true) {
            Optional<DriverQueue.Entry> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            String jobId = next.get().jobId();
            try {
                carryOut(jobId, next.get().reassert());
            } catch (RuntimeException e) {
                // The store failed (or is closing): the request stays pending there, for a later offer or start.
                LOG.error("Job driver: job {} could not be worked on; its request stays pending", jobId, e);
            } finally {
                queue.done(jobId);
            }
        }
    }

    private void carryOut(String jobId, boolean reassert) {
        Optional<JobIntent> found = store.intent(jobId);
        Optional<StoredJob> stored = store.find(jobId);
        if (found.isEmpty() || stored.isEmpty()) {
            retries.remove(jobId);
            return;
        }
        JobIntent intent = found.get();
        boolean ended = intent.operation() == JobOperation.TERMINATE || stored.get().state().isFinal();
        if (!intent.pending() && !(reassert && !ended)) {
            retries.remove(jobId);   // carried out meanwhile, or overtaken: nothing left to do
            return;
        }
        Optional<Job> job = readJob(stored.get());
        if (job.isEmpty()) {
            fail(intent, "the recorded job cannot be read (see the IM's log)");
            return;
        }
        ComputeBackends.Selection selection = backends.select(job.get());
        if (!selection.found()) {
            fail(intent, selection.problem());
            return;
        }
        ComputeBackend backend = selection.backend();
        try {
            perform(backend, intent, job.get());
        } catch (JobRejectedException e) {
            LOG.info("Job {}: {} rejected {}: {}", jobId, backend.name(), verb(intent), e.getMessage());
            fail(intent, e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            // A LinkageError is a plugin's fault too (a class it lacks); it must not cost the driver a worker.
            retryLater(intent, reassert, backend, e);
            return;
        }
        store.markCarriedOut(jobId, intent.revision(), intent.started() || intent.operation() != JobOperation.TERMINATE);
        retries.remove(jobId);
        LOG.debug("Job {}: {} {} carried out (request {})", jobId, backend.name(), verb(intent), intent.revision());
    }

    /** The backend operations a request takes; a job that never started is started first. */
    private static void perform(ComputeBackend backend, JobIntent intent, Job job) {
        switch (intent.operation()) {
            case START -> backend.start(job);
            case SUSPEND -> {
                if (!intent.started()) {
                    backend.start(job);
                }
                backend.suspend(job);
            }
            case UNSUSPEND -> {
                if (intent.started()) {
                    backend.unsuspend(job);
                } else {
                    backend.start(job);
                }
            }
            case TERMINATE -> backend.terminate(job);
        }
    }

    private void fail(JobIntent intent, String reason) {
        updates.send(intent.jobId(), JobUpdate.state(JobState.FAILURE, reason, clock.millis()));
        store.markCarriedOut(intent.jobId(), intent.revision(), intent.started());
        retries.remove(intent.jobId());
    }

    private void retryLater(JobIntent intent, boolean reassert, ComputeBackend backend, Throwable e) {
        String jobId = intent.jobId();
        if (closing) {
            // Most likely cut off by the close itself: the request stays pending for the next start.
            LOG.info("Job {}: {} {} did not finish before the IM stopped; it is carried out at the next start",
                    jobId, backend.name(), verb(intent));
            return;
        }
        Retry previous = retries.get(jobId);
        int attempt = previous != null && previous.revision() == intent.revision() ? previous.attempt() + 1 : 1;
        // The job's status names the plugin and the failure's type only: the message may hold internals.
        PluginFault fault = PluginFault.of(backend, verb(intent) + " job " + jobId, e);
        Retry retry = new Retry(intent.revision(), attempt, fault.text());
        retries.put(jobId, retry);
        Duration delay = settings.retryDelay(attempt);
        if (previous == null || !fault.text().equals(previous.reason())) {
            String reference = UUID.randomUUID().toString();
            LOG.warn("Job {}: {} (attempt {}, error reference {}); trying again in {} ms", jobId, fault.detail(),
                    attempt, reference, delay.toMillis(), e);
            updates.send(jobId, JobUpdate.message(fault.withReference(reference) + "; the IM keeps trying",
                    clock.millis()));
        } else {
            LOG.warn("Job {}: {} again (attempt {}); trying again in {} ms", jobId, fault.detail(), attempt,
                    delay.toMillis());
        }
        timer.after(delay, () -> {
            if (retries.get(jobId) == retry) {   // not carried out, overtaken or retried otherwise meanwhile
                queue.offer(jobId, reassert);
            }
        });
    }

    private Optional<Job> readJob(StoredJob stored) {
        try {
            return Optional.of(json.readValue(stored.json(), Job.class));
        } catch (RuntimeException e) {
            LOG.error("Job {}: the recorded job cannot be read as a job", stored.id(), e);
            return Optional.empty();
        }
    }

    private static String verb(JobIntent intent) {
        return intent.operation().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A job's failing request: which one, how many attempts so far, and the last reason told. */
    private record Retry(long revision, int attempt, String reason) {
    }
}
