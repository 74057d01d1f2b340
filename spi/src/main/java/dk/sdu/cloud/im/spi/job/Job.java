package dk.sdu.cloud.im.spi.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as UCloud/Core sends it to a provider.
 *
 * @param id            Core's id of the job; unique per provider
 * @param createdAt     creation time, milliseconds since the epoch
 * @param owner         who started the job, and in which project
 * @param specification what the user asked for
 * @param status        Core's view of the job, including the resolved application
 * @param updates       the updates Core has recorded so far (may be empty)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        String id,
        long createdAt,
        JobOwner owner,
        JobSpecification specification,
        JobStatus status,
        List<JobUpdate> updates
) {
    public Job {
        updates = updates == null ? List.of() : List.copyOf(updates);
    }

    /** The application's tool backend, e.g. {@code VIRTUAL_MACHINE}, when Core resolved the application. */
    public Optional<String> toolBackend() {
        return toolDescription().map(ToolDescription::backend).filter(Objects::nonNull);
    }

    /** The resolved tool description, when present. */
    public Optional<ToolDescription> toolDescription() {
        return Optional.ofNullable(status)
                .map(JobStatus::resolvedApplication)
                .map(ResolvedApplication::invocation)
                .map(ApplicationInvocation::tool)
                .map(ToolReference::tool)
                .map(Tool::description);
    }

    /** A copy of this job with another status. */
    public Job withStatus(JobStatus newStatus) {
        return new Job(id, createdAt, owner, specification, newStatus, updates);
    }
}
