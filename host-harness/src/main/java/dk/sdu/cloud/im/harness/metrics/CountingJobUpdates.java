package dk.sdu.cloud.im.harness.metrics;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Counts the updates backends send, then hands them on. Counted only once the delegate took them. */
final class CountingJobUpdates implements JobUpdates {
    private final JobUpdates delegate;
    private final HarnessMetrics metrics;

    CountingJobUpdates(JobUpdates delegate, HarnessMetrics metrics) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void send(String jobId, JobUpdate update) {
        delegate.send(jobId, update);
        metrics.countUpdate(update.state());
    }

    @Override
    public Optional<JobUpdate> lastRecorded(String jobId) {
        return delegate.lastRecorded(jobId);
    }

    @Override
    public void updateLabels(String jobId, Map<String, String> labels) {
        delegate.updateLabels(jobId, labels);
    }
}
