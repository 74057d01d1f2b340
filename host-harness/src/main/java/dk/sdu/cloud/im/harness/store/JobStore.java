package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The jobs the harness was given and the updates its backends sent, as UCloud/Core would keep them.
 *
 * <p>Safe to use from several threads. As {@link JobUpdates}, {@link #send} is {@link #append}: a backend's
 * update is recorded before {@code send} returns.
 *
 * <p>An update for a job the store does not know is recorded all the same (and logged): the harness is
 * where one looks for what a backend did, and a backend that relists cluster objects after a restart may
 * report jobs this store never saw. Such updates show in {@link #updates(String)} but not in {@link #list()},
 * and they change no job.
 *
 * <p><b>The outbox of updates to UCloud/Core.</b> Every update is recorded {@link DeliveryState#PENDING}, in
 * the same durable write as the update itself, and stays so until its delivery is marked: delivered
 * ({@link #markDelivered}), dropped because Core says its job does not exist ({@link #markDropped}) or
 * refused by Core ({@link #markRefused}). These marks are journaled like any other write (one that was refused
 * leaves no trace) but not flushed to disk before they return: a kill may lose the last marks, and their updates
 * are then delivered again, which at-least-once delivery allows. {@link #pendingDeliveries} reads the
 * oldest pending updates a bounded number at a time, each job's in its order, so a deliverer that marks what
 * Core accepted and reads again delivers every update at least once and each job's in order, across
 * restarts ({@code harness.core.outbox.CoreUpdateOutbox}).
 */
public interface JobStore extends JobUpdates, AutoCloseable {

    /**
     * Records a job, with {@link JobOperation#START} as its request, not yet carried out. Saving the same job
     * again (equal JSON) keeps the job and asks its backend to carry out its last request again.
     *
     * @throws JobConflictException when a different job with the same id is recorded
     * @throws JobRefusedException  when the same job is recorded and has ended (see {@link #recordRequests})
     */
    default SaveOutcome save(JobSubmission job) {
        return saveAll(List.of(job)).get(0);
    }

    /**
     * Records several jobs at once: either all are recorded (or found unchanged) or none is.
     *
     * @return the outcome of each job, in order
     * @throws JobConflictException listing every id recorded with different content; nothing is saved then
     * @throws JobRefusedException  listing every job recorded already that has ended; nothing is saved then
     */
    List<SaveOutcome> saveAll(List<JobSubmission> jobs);

    /**
     * Records a request for known jobs, as their backend has yet to carry it out: all or nothing. A terminated
     * job stays terminated: a suspend or unsuspend of it (or of a job in a final state) is refused, a terminate
     * of it changes nothing.
     *
     * @param jobIds    the jobs, each recorded
     * @param operation what is asked ({@link JobOperation#START} is what a repeated create asks)
     * @throws JobRefusedException      listing every refused job; nothing is recorded then
     * @throws IllegalArgumentException when a job is not recorded; nothing is recorded then
     */
    void recordRequests(List<String> jobIds, JobOperation operation);

    /** The last request accepted for a job, if the job is recorded. */
    Optional<JobIntent> intent(String jobId);

    /**
     * Records that the backend carried out a job's request of {@code revision}. A later request stays pending.
     *
     * @param started whether the backend started the job (or had started it before)
     */
    void markCarriedOut(String jobId, long revision, boolean started);

    /**
     * The jobs an IM that starts must carry on with, oldest first: those whose last request is not carried
     * out, and those not terminated that have not reached a final state (their backend is asked again, as a
     * cluster may have lost their objects while no IM ran).
     */
    List<String> jobsToCarryOn();

    /**
     * Replaces a recorded job's document (its JSON as Core sent it), keeping its state, requests and updates:
     * what a resource attached to or detached from the running job changes ({@code jobs/attachResource}).
     *
     * @throws IllegalArgumentException when the job is not recorded; nothing is recorded then
     */
    void replaceJob(String jobId, String json);

    /** The job with this id, if recorded. */
    Optional<StoredJob> find(String jobId);

    /** Every recorded job with its current state, oldest first. */
    List<JobSummary> list();

    /** How many recorded jobs are in each state; states with no job are absent. */
    Map<JobState, Long> countByState();

    /**
     * Records an update. When it carries a state, that becomes the job's current state; when it carries a
     * message, that becomes the job's last message.
     *
     * @return the update as recorded, with its sequence number
     */
    RecordedUpdate append(String jobId, JobUpdate update);

    /** The updates of a job in the order they arrived; empty when there are none. */
    List<RecordedUpdate> updates(String jobId);

    /**
     * The oldest updates not yet delivered to Core ({@link DeliveryState#PENDING}), at most {@code limit}: in
     * the order they were recorded, across jobs. So each job's updates come in their order (sequence), and
     * the ones returned for a job are its oldest pending ones: a job's later update is never returned
     * without its earlier pending ones. Reads nothing beyond {@code limit} rows.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    default List<RecordedUpdate> pendingDeliveries(int limit) {
        return pendingDeliveries(limit, Set.of());
    }

    /**
     * {@link #pendingDeliveries(int)} without the updates of {@code skippedJobs}: for a deliverer that holds
     * those jobs back (their oldest update failed) and carries on with the others.
     */
    List<RecordedUpdate> pendingDeliveries(int limit, Set<String> skippedJobs);

    /** Where the update is on its way to Core; empty when it is not recorded. */
    Optional<DeliveryState> delivery(UpdateId update);

    /** How many recorded updates are in each delivery state; states with no update are absent. */
    Map<DeliveryState, Long> countByDelivery();

    /**
     * Records that Core accepted these updates. An update that has an outcome already keeps it; an empty list
     * records nothing.
     *
     * @throws IllegalArgumentException when an update is not recorded; nothing is recorded then
     */
    void markDelivered(List<UpdateId> updates);

    /**
     * Records that these updates are not delivered because Core says their job does not exist: they stay in
     * the store, and are not read by {@link #pendingDeliveries} again. Same rules as {@link #markDelivered}.
     */
    void markDropped(List<UpdateId> updates);

    /**
     * Records that Core refused these updates as bad: they stay in the store, and are not read by
     * {@link #pendingDeliveries} again, so they never hold up their job's later updates. Same rules as
     * {@link #markDelivered}.
     */
    void markRefused(List<UpdateId> updates);

    @Override
    default void send(String jobId, JobUpdate update) {
        append(jobId, update);
    }

    /**
     * Records labels of a job for Core, {@link DeliveryState#PENDING} until their delivery is marked
     * ({@link #markLabels}): the outbox of {@code jobs/control.updateLabels}, durable as updates are.
     *
     * @return the labels as recorded, with their id
     */
    RecordedLabels appendLabels(String jobId, Map<String, String> labels);

    /** The labels recorded for a job, oldest first. */
    List<RecordedLabels> labels(String jobId);

    /**
     * The oldest labels not yet delivered to Core, at most {@code limit}, in the order they were recorded.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    List<RecordedLabels> pendingLabels(int limit);

    /** Where recorded labels are on their way to Core; empty when none has this id. */
    Optional<DeliveryState> labelDelivery(long id);

    /**
     * Records the outcome of delivering labels (not {@link DeliveryState#PENDING}); labels with an outcome
     * keep it. Not flushed before it returns, as {@link #markDelivered}: a lost mark sends the labels again.
     *
     * @throws IllegalArgumentException when an id is not recorded; nothing is recorded then
     */
    void markLabels(List<Long> ids, DeliveryState outcome);

    /** {@link #appendLabels}: delivered to Core by the outbox, as updates are. */
    @Override
    default void updateLabels(String jobId, Map<String, String> labels) {
        appendLabels(jobId, labels);
    }

    /**
     * What the store holds of a job, as Core would answer it: the job's current state (its initial state until
     * an update brings another), its last message, and the time of its last update (or of its creation, when
     * none came yet). A job the store does not know, but has updates for, is answered from those updates;
     * a job with neither is empty.
     */
    @Override
    default Optional<JobUpdate> lastRecorded(String jobId) {
        List<RecordedUpdate> updates = updates(jobId);
        long timestamp = updates.isEmpty() ? 0 : updates.get(updates.size() - 1).timestamp();
        Optional<StoredJob> job = find(jobId);
        if (job.isPresent()) {
            StoredJob stored = job.get();
            return Optional.of(new JobUpdate(stored.state(), stored.statusMessage(),
                    updates.isEmpty() ? stored.createdAt() : timestamp));
        }
        if (updates.isEmpty()) {
            return Optional.empty();
        }
        JobState state = null;
        String message = null;
        for (RecordedUpdate update : updates) {
            state = update.state() == null ? state : update.state();
            message = update.statusMessage() == null ? message : update.statusMessage();
        }
        return Optional.of(new JobUpdate(state, message, timestamp));
    }

    /** Closes the database. Calls after this fail. */
    @Override
    void close();
}
