package dk.sdu.cloud.im.spi.host;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Provider-wide settings: {@code provider.id} and {@code services.sensitiveProjects}.
 *
 * @param providerId        the provider's id in UCloud
 * @param sensitiveProjects projects whose data needs extra protection; they may not use virtual machines
 */
public record ProviderSettings(String providerId, Set<String> sensitiveProjects) {
    public ProviderSettings {
        requireNonNull(providerId, "providerId is null");
        sensitiveProjects = sensitiveProjects == null ? Set.of() : Set.copyOf(sensitiveProjects);
    }

    /** Whether a project is listed as sensitive. */
    public boolean isSensitive(String projectId) {
        return projectId != null && sensitiveProjects.contains(projectId);
    }
}
