package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;

import static java.util.Objects.requireNonNull;

/**
 * A line of the job listing.
 *
 * @param id            Core's id of the job
 * @param state         the current state
 * @param statusMessage the last status message, or null
 * @param createdAt     when the job was recorded, milliseconds since the epoch
 * @param updatedAt     when it last changed, milliseconds since the epoch
 */
public record JobSummary(String id, JobState state, String statusMessage, long createdAt, long updatedAt) {
    public JobSummary {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
    }
}
