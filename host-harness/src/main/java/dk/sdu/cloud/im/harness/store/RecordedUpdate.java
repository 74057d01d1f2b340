package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import static java.util.Objects.requireNonNull;

/**
 * An update as the store recorded it.
 *
 * @param jobId         the job it belongs to
 * @param sequence      its place among the job's updates: 1, 2, 3, ... in the order they arrived
 * @param state         the new state, or null when only the message changed
 * @param statusMessage the message, or null
 * @param timestamp     when it happened according to the backend, milliseconds since the epoch
 * @param receivedAt    when the store recorded it, milliseconds since the epoch
 */
public record RecordedUpdate(String jobId, long sequence, JobState state, String statusMessage, long timestamp,
                             long receivedAt) {
    public RecordedUpdate {
        requireNonNull(jobId, "jobId is null");
    }

    /** Which update this is, to mark its delivery ({@link JobStore#markDelivered} and its kin). */
    public UpdateId id() {
        return new UpdateId(jobId, sequence);
    }

    /** The update as a backend sent it. */
    public JobUpdate update() {
        return new JobUpdate(state, statusMessage, timestamp);
    }
}
