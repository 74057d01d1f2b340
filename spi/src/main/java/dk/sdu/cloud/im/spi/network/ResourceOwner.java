package dk.sdu.cloud.im.spi.network;

import dk.sdu.cloud.im.spi.job.JobOwner;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Who holds a network resource at Core ({@code owner} of UCloud's resources): a project's resource is
 * usable by every job of that project, a personal one only by its creator's personal jobs.
 *
 * @param createdBy the UCloud username that created it
 * @param project   the project it belongs to, or null for a personal resource
 */
public record ResourceOwner(String createdBy, String project) {
    public ResourceOwner {
        requireNonNull(createdBy, "createdBy is null");
        if (project != null && project.isBlank()) {
            project = null;
        }
    }

    /** Whether a job of this owner may use the resource. */
    public boolean heldBy(JobOwner jobOwner) {
        requireNonNull(jobOwner, "jobOwner is null");
        if (project != null) {
            return project.equals(jobOwner.projectId().orElse(null));
        }
        return jobOwner.projectId().isEmpty() && Objects.equals(createdBy, jobOwner.createdBy());
    }
}
