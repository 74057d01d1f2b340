package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Optional;

/**
 * Who owns a job.
 *
 * @param createdBy the UCloud username of the user who started it, e.g. {@code alice#1234}
 * @param project   the project the job runs in, or null for a personal job
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobOwner(String createdBy, String project) {
    /** The project id, if the job belongs to a project. */
    public Optional<String> projectId() {
        return Optional.ofNullable(project).filter(p -> !p.isBlank());
    }
}
