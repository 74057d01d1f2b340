package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Core's view of a job.
 *
 * @param state               the job's current state
 * @param startedAt           when it started running, or null
 * @param expiresAt           when it expires, or null
 * @param resolvedApplication the application the job runs, as Core resolved it
 * @param allowRestart        whether Core allows restarting the job
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
        JobState state,
        Long startedAt,
        Long expiresAt,
        ResolvedApplication resolvedApplication,
        Boolean allowRestart
) {
}
