package dk.sdu.cloud.im.harness.core.outbox;

import dk.sdu.cloud.im.harness.core.CoreCallException;
import dk.sdu.cloud.im.harness.core.CoreJobControl;
import dk.sdu.cloud.im.harness.core.CoreTransport;
import dk.sdu.cloud.im.harness.store.DeliveryState;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.RecordedLabels;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.harness.store.UpdateId;
import dk.sdu.cloud.im.harness.time.DelayTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Delivers the job updates the job store holds as pending to UCloud/Core ({@code POST /api/jobs/control/update}),
 * and then the jobs' pending labels ({@code POST /api/jobs/control/updateLabels}, one job per call, with the same
 * guarantees, outcomes and back-off): the store is the durable outbox, this is its postman.
 *
 * <p><b>Guarantees.</b> Every update recorded in the store reaches Core <i>at least once</i>, across restarts of
 * the IM: it stays pending in the store until Core has accepted it and the store has recorded that. A crash
 * between Core's acceptance and that record sends it again at the next start. Each job's updates reach Core
 * <i>in the order they were recorded</i>: a job whose update failed has none of its later updates sent before
 * that one is accepted or given up (below), and a resend after a crash starts over from the job's oldest
 * pending update. Updates go out in batches of at most {@link OutboxSettings#maxBatch}, oldest first, read from
 * the store one batch at a time (memory stays bounded however large the backlog).
 *
 * <p><b>What is given up, and kept.</b> An update is given up in two cases only; it stays in the store, marked:
 * <ul>
 *   <li><i>Dropped</i>: Core answered 404 or 403 and then, asked through
 *       {@code /api/providers/resources/checkExistence}, says the job does not exist. Logged once per job. When
 *       that question fails, nothing is dropped and the batch is tried again later.</li>
 *   <li><i>Refused</i>: Core refuses the update itself, with a 4xx other than 401, 403, 404, 408 and 429.
 *       Logged with Core's {@code why}. A refused update is never retried, and it never holds up its job's
 *       later updates: they are delivered after it as if it had been accepted. A batch that Core refuses this
 *       way is sent again one update at a time, to find the update(s) at fault.</li>
 * </ul>
 * Anything else (no answer, 5xx, 408, 429, 401, a job store failure) leaves the updates pending and is
 * tried again after a back-off. So does a 404 or 403 for a single update of a job Core says exists: that job
 * is held back (its updates stay pending) while the round carries on with the other jobs. The back-off is
 * {@link OutboxSettings#firstBackOff} doubling to {@link OutboxSettings#maxBackOff}
 * (1 s to 1 min by default), back to no wait after a delivery succeeds.
 *
 * <p><b>When it runs.</b> All delivery runs as tasks of the {@link DelayTimer} it is given (one at a time; give
 * it a timer of its own, as a call to Core can take seconds): at {@link #start()} (what the last run left), at
 * {@link #wake()} (the host calls it when an update is recorded), and when a back-off ends. While it backs
 * off, a wake does not cut the wait short: a Core that is down is not called once per update. A round delivers
 * until the store has nothing pending, or until a delivery fails.
 */
public final class CoreUpdateOutbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoreUpdateOutbox.class);
    /** How many gone jobs are remembered so that each is logged once; older ones may be logged again. */
    private static final int GONE_JOBS_REMEMBERED = 10_000;
    /** The statuses that do not mean "this update is bad": access, existence, Core's time-outs and load. */
    private static final Set<Integer> NOT_A_REFUSAL = Set.of(401, 403, 404, 408, 429);

    private final JobStore store;
    private final CoreJobControl core;
    private final DelayTimer timer;
    private final Clock clock;
    private final OutboxSettings settings;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private boolean started;
    private volatile boolean closed;
    /** A round is waiting on the timer (now or after a back-off); guarded by {@link #lock}. */
    private boolean scheduled;
    /** A round runs; guarded by {@link #lock}. */
    private boolean running;
    /** A wake came while a round ran; guarded by {@link #lock}. */
    private boolean wokenWhileRunning;
    /** The current back-off, or null when the last round delivered all; guarded by {@link #lock}. */
    private Duration backOff;

    /** Only used by the round, which runs alone. */
    private final Set<String> goneJobsLogged = Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > GONE_JOBS_REMEMBERED;
                }
            });
    /** The jobs held back in this round: their oldest pending update failed; only used by the round. */
    private final Set<String> held = new LinkedHashSet<>();
    /** When deliveries began to fail (clock millis), or -1; only used by the round. */
    private long failingSince = -1;
    /** Whether the longest back-off was logged in this run of failures; only used by the round. */
    private boolean slowestLogged;

    /**
     * @param store     the outbox: its pending updates are delivered, and their delivery is marked in it
     * @param transport the calls to Core
     * @param timer     runs the deliveries: now when woken, later after a failure
     * @param clock     for how long deliveries have failed, in the log
     * @param settings  batch size and back-off
     */
    public CoreUpdateOutbox(JobStore store, CoreTransport transport, DelayTimer timer, Clock clock,
                            OutboxSettings settings) {
        this.store = requireNonNull(store, "store is null");
        this.core = new CoreJobControl(requireNonNull(transport, "transport is null"));
        this.timer = requireNonNull(timer, "timer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Begins delivering: what the store holds as pending now (from before a restart, too), then as woken. */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
            scheduleNow();
        }
    }

    /**
     * Says that an update was recorded: a round runs soon, unless one is already waiting or a back-off is under
     * way. Cheap and never blocking: meant for the store's update listener. Before {@link #start()} and after
     * {@link #close()} it does nothing.
     */
    public void wake() {
        synchronized (lock) {
            if (!started || closed) {
                return;
            }
            if (running) {
                wokenWhileRunning = true;
            } else if (!scheduled) {
                scheduleNow();
            }
        }
    }

    /**
     * Stops delivering: a round waiting on the timer does nothing when its time comes, a round under way stops
     * after the call it is in (its outcome is marked if the store is still open). What is pending stays pending
     * in the store, for the next start. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    private void scheduleNow() {
        scheduled = true;
        timer.after(Duration.ZERO, this::runRound);
    }

    private void runRound() {
        synchronized (lock) {
            if (closed || !scheduled) {
                return;
            }
            scheduled = false;
            running = true;
            wokenWhileRunning = false;
        }
        boolean delivered = false;
        try {
            delivered = deliverAllPending();
        } catch (RuntimeException e) {
            if (!closed) {
                noteFailure("the job store failed: " + e.getMessage());
            }
        } finally {
            synchronized (lock) {
                running = false;
                if (!closed) {
                    if (delivered) {
                        backOff = null;
                        if (wokenWhileRunning) {
                            scheduleNow();
                        }
                    } else {
                        backOff = backOff == null ? settings.firstBackOff() : doubled(backOff);
                        scheduled = true;
                        timer.after(backOff, this::runRound);
                    }
                }
            }
        }
        if (delivered && failingSince >= 0) {
            LOG.info("Job updates reach UCloud/Core again, after {} s of failed deliveries",
                    Math.max(0, clock.millis() - failingSince) / 1000);
            failingSince = -1;
            slowestLogged = false;
        }
    }

    private Duration doubled(Duration current) {
        Duration next = current.multipliedBy(2);
        if (next.compareTo(settings.maxBackOff()) >= 0) {
            if (!slowestLogged && failingSince >= 0) {
                slowestLogged = true;
                LOG.warn("Job updates have not reached UCloud/Core for {} s; trying every {} s from now on",
                        Math.max(0, clock.millis() - failingSince) / 1000, settings.maxBackOff().toSeconds());
            }
            return settings.maxBackOff();
        }
        return next;
    }

    /**
     * Delivers batch after batch; true when nothing is pending any more, false when a delivery failed or a job
     * was held back.
     */
    private boolean deliverAllPending() {
        held.clear();
        while (!closed) {
            List<RecordedUpdate> batch = store.pendingDeliveries(settings.maxBatch(), held);
            if (batch.isEmpty()) {
                boolean labelsDelivered = deliverPendingLabels();
                return held.isEmpty() && labelsDelivered;
            }
            if (!deliver(batch)) {
                return false;
            }
        }
        return false;
    }

    /**
     * Sends a batch (each job's updates in order) and marks the outcome of each of its updates, or holds a job
     * back with its updates pending; false when delivery failed as a whole and is tried again later.
     */
    private boolean deliver(List<RecordedUpdate> batch) {
        try {
            core.update(batch.stream().map(u -> new CoreJobControl.Item(u.jobId(), u.update())).toList());
        } catch (CoreCallException e) {
            if (e.notFound()) {
                return deliverWithoutGoneJobs(batch, e);
            }
            if (refuses(e)) {
                return batch.size() == 1 ? refuse(batch.get(0), e) : deliverOneByOne(batch);
            }
            noteFailure(e.getMessage());
            return false;
        }
        store.markDelivered(ids(batch));
        return true;
    }

    /**
     * Delivers the pending labels, oldest first, one call each (Core's call takes a job's labels at a time);
     * true when none is pending any more, false when a delivery failed.
     */
    private boolean deliverPendingLabels() {
        while (!closed) {
            List<RecordedLabels> batch = store.pendingLabels(settings.maxBatch());
            if (batch.isEmpty()) {
                return true;
            }
            for (RecordedLabels labels : batch) {
                if (closed || !deliver(labels)) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Sends one job's labels and marks the outcome as for updates: delivered, dropped (Core says the job does
     * not exist), refused (Core refuses them as bad); false when they stay pending and are tried again later.
     */
    private boolean deliver(RecordedLabels labels) {
        try {
            core.updateLabels(labels.jobId(), labels.labels());
        } catch (CoreCallException e) {
            if (e.notFound()) {
                List<Boolean> exists;
                try {
                    exists = core.jobsExist(List.of(labels.jobId()));
                } catch (CoreCallException question) {
                    noteFailure(e.getMessage() + "; asking Core whether job " + labels.jobId() + " exists failed: "
                            + question.getMessage());
                    return false;
                }
                if (exists.get(0)) {
                    noteFailure(e.getMessage() + " for the labels of job " + labels.jobId()
                            + ", yet Core says the job exists");
                    return false;
                }
                store.markLabels(List.of(labels.id()), DeliveryState.DROPPED);
                LOG.warn("Job {}: UCloud/Core says it does not exist ({}); its labels {} are dropped, not sent",
                        labels.jobId(), e.why(), labels.labels().keySet());
                return true;
            }
            if (refuses(e)) {
                store.markLabels(List.of(labels.id()), DeliveryState.REFUSED);
                LOG.warn("Job {}: UCloud/Core refused its labels {} with {}: {}; they are kept in the job store as"
                        + " refused and not sent again", labels.jobId(), labels.labels(), e.status(), e.why());
                return true;
            }
            noteFailure(e.getMessage());
            return false;
        }
        store.markLabels(List.of(labels.id()), DeliveryState.DELIVERED);
        return true;
    }

    /** After a 404 or 403: drops the updates of the jobs Core says are gone and sends the rest again. */
    private boolean deliverWithoutGoneJobs(List<RecordedUpdate> batch, CoreCallException notFound) {
        List<String> jobs = List.copyOf(new LinkedHashSet<>(batch.stream().map(RecordedUpdate::jobId).toList()));
        List<Boolean> exist;
        try {
            exist = core.jobsExist(jobs);
        } catch (CoreCallException e) {
            noteFailure(notFound.getMessage() + "; asking Core which of the " + jobs.size()
                    + " jobs exist failed: " + e.getMessage());
            return false;
        }
        Set<String> gone = new LinkedHashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (!exist.get(i)) {
                gone.add(jobs.get(i));
            }
        }
        if (gone.isEmpty()) {
            if (batch.size() > 1) {
                return deliverOneByOne(batch);
            }
            // Core contradicts itself about this job: it waits, with its later updates, for a later round.
            RecordedUpdate update = batch.get(0);
            held.add(update.jobId());
            noteFailure(notFound.getMessage() + " for update #" + update.sequence() + " of job " + update.jobId()
                    + ", yet Core says the job exists; the job's updates are held back");
            return true;
        }
        List<RecordedUpdate> dropped = batch.stream().filter(u -> gone.contains(u.jobId())).toList();
        List<RecordedUpdate> rest = batch.stream().filter(u -> !gone.contains(u.jobId())).toList();
        store.markDropped(ids(dropped));
        for (String jobId : gone) {
            if (goneJobsLogged.add(jobId)) {
                LOG.warn("Job {}: UCloud/Core says it does not exist ({}); its updates are dropped, not sent"
                        + " (kept in the job store as dropped)", jobId, notFound.why());
            }
        }
        return rest.isEmpty() || deliver(rest);
    }

    /** After Core refused a batch as bad: sends its updates one at a time, in order, to find the bad ones. */
    private boolean deliverOneByOne(List<RecordedUpdate> batch) {
        for (RecordedUpdate update : batch) {
            if (held.contains(update.jobId())) {
                continue; // not after the job's held-back update
            }
            if (closed || !deliver(List.of(update))) {
                return false;
            }
        }
        return true;
    }

    private boolean refuse(RecordedUpdate update, CoreCallException refusal) {
        store.markRefused(List.of(update.id()));
        LOG.warn("Job {}: UCloud/Core refused update #{} {} with {}: {}; it is kept in the job store as refused"
                + " and not sent again", update.jobId(), update.sequence(), update.update(), refusal.status(),
                refusal.why());
        return true;
    }

    private static boolean refuses(CoreCallException e) {
        return e.status() >= 400 && e.status() < 500 && !NOT_A_REFUSAL.contains(e.status());
    }

    private void noteFailure(String why) {
        if (failingSince < 0) {
            failingSince = clock.millis();
            LOG.warn("Job updates cannot be delivered to UCloud/Core: {}; they stay pending in the job store and"
                    + " are sent again after a back-off", why);
        } else {
            LOG.debug("Job updates still cannot be delivered to UCloud/Core: {}", why);
        }
    }

    private static List<UpdateId> ids(List<RecordedUpdate> updates) {
        List<UpdateId> ids = new ArrayList<>(updates.size());
        updates.forEach(u -> ids.add(u.id()));
        return ids;
    }
}
