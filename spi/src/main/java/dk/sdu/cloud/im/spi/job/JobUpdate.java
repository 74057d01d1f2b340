package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One update of a job, sent from the provider to Core.
 *
 * @param state     the new state, or null when only the status message changes
 * @param status    a message for the user, or null
 * @param timestamp when it happened, milliseconds since the epoch
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobUpdate(JobState state, String status, long timestamp) {
    /** A state change, with an optional message. */
    public static JobUpdate state(JobState state, String status, long timestamp) {
        return new JobUpdate(state, status, timestamp);
    }

    /** A message that leaves the state as it is. */
    public static JobUpdate message(String status, long timestamp) {
        return new JobUpdate(null, status, timestamp);
    }
}
