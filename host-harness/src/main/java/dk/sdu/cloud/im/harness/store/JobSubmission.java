package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;

import static java.util.Objects.requireNonNull;

/**
 * A job to record, as the provider API received it.
 *
 * @param id           Core's id of the job
 * @param json         the job's JSON as received
 * @param initialState the state the job starts in (the state Core gave it, normally {@code IN_QUEUE})
 */
public record JobSubmission(String id, String json, JobState initialState) {
    /** The longest job id the store keeps. Core's ids are short numbers; anything longer is a mistake. */
    public static final int MAX_ID_LENGTH = 255;

    public JobSubmission {
        requireNonNull(id, "id is null");
        requireNonNull(json, "json is null");
        requireNonNull(initialState, "initialState is null");
        JobIds.check(id);
    }
}
