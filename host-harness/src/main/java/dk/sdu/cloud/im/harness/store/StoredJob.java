package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;

import static java.util.Objects.requireNonNull;

/**
 * A recorded job with its current state.
 *
 * @param id            Core's id of the job
 * @param json          the job's JSON as the provider API received it
 * @param state         the current state: the initial state, then the state of the last update that had one
 * @param statusMessage the message of the last update that had one, or null
 * @param createdAt     when the job was first recorded, milliseconds since the epoch
 * @param updatedAt     when the job was last changed by an update (or recorded), milliseconds since the epoch
 */
public record StoredJob(String id, String json, JobState state, String statusMessage, long createdAt,
                        long updatedAt) {
    public StoredJob {
        requireNonNull(id, "id is null");
        requireNonNull(json, "json is null");
        requireNonNull(state, "state is null");
    }

    /** This job without its JSON, as a listing shows it. */
    public JobSummary summary() {
        return new JobSummary(id, state, statusMessage, createdAt, updatedAt);
    }
}
