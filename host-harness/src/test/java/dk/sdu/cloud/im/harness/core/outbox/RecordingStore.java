package dk.sdu.cloud.im.harness.core.outbox;

import dk.sdu.cloud.im.harness.store.DeliveryState;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.JobSubmission;
import dk.sdu.cloud.im.harness.store.JobSummary;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.harness.store.SaveOutcome;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.harness.store.UpdateId;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A job store that hands everything on and notes how much each pending read asked for and got. */
final class RecordingStore implements JobStore {
    private final JobStore delegate;
    /** The limit of each pending read. */
    final List<Integer> pendingLimits = new CopyOnWriteArrayList<>();
    /** The number of updates each pending read returned. */
    final List<Integer> pendingSizes = new CopyOnWriteArrayList<>();

    RecordingStore(JobStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<RecordedUpdate> pendingDeliveries(int limit, Set<String> skippedJobs) {
        List<RecordedUpdate> pending = delegate.pendingDeliveries(limit, skippedJobs);
        pendingLimits.add(limit);
        pendingSizes.add(pending.size());
        return pending;
    }

    @Override
    public List<SaveOutcome> saveAll(List<JobSubmission> jobs) {
        return delegate.saveAll(jobs);
    }

    @Override
    public void recordRequests(List<String> jobIds, JobOperation operation) {
        delegate.recordRequests(jobIds, operation);
    }

    @Override
    public Optional<JobIntent> intent(String jobId) {
        return delegate.intent(jobId);
    }

    @Override
    public void markCarriedOut(String jobId, long revision, boolean started) {
        delegate.markCarriedOut(jobId, revision, started);
    }

    @Override
    public List<String> jobsToCarryOn() {
        return delegate.jobsToCarryOn();
    }

    @Override
    public void replaceJob(String jobId, String json) {
        delegate.replaceJob(jobId, json);
    }

    @Override
    public Optional<StoredJob> find(String jobId) {
        return delegate.find(jobId);
    }

    @Override
    public List<JobSummary> list() {
        return delegate.list();
    }

    @Override
    public Map<JobState, Long> countByState() {
        return delegate.countByState();
    }

    @Override
    public RecordedUpdate append(String jobId, JobUpdate update) {
        return delegate.append(jobId, update);
    }

    @Override
    public List<RecordedUpdate> updates(String jobId) {
        return delegate.updates(jobId);
    }

    @Override
    public Optional<DeliveryState> delivery(UpdateId update) {
        return delegate.delivery(update);
    }

    @Override
    public Map<DeliveryState, Long> countByDelivery() {
        return delegate.countByDelivery();
    }

    @Override
    public void markDelivered(List<UpdateId> updates) {
        delegate.markDelivered(updates);
    }

    @Override
    public void markDropped(List<UpdateId> updates) {
        delegate.markDropped(updates);
    }

    @Override
    public void markRefused(List<UpdateId> updates) {
        delegate.markRefused(updates);
    }

    @Override
    public dk.sdu.cloud.im.harness.store.RecordedLabels appendLabels(String jobId, Map<String, String> labels) {
        return delegate.appendLabels(jobId, labels);
    }

    @Override
    public List<dk.sdu.cloud.im.harness.store.RecordedLabels> labels(String jobId) {
        return delegate.labels(jobId);
    }

    @Override
    public List<dk.sdu.cloud.im.harness.store.RecordedLabels> pendingLabels(int limit) {
        return delegate.pendingLabels(limit);
    }

    @Override
    public Optional<DeliveryState> labelDelivery(long id) {
        return delegate.labelDelivery(id);
    }

    @Override
    public void markLabels(List<Long> ids, DeliveryState outcome) {
        delegate.markLabels(ids, outcome);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
