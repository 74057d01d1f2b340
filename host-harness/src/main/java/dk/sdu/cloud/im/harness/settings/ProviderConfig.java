package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;
import java.util.Optional;

/**
 * {@code provider}.
 *
 * @param id    the provider's id in UCloud, e.g. {@code k8s}
 * @param hosts where Core and the IM are reached ({@code harness.core.mode: remote} needs it)
 */
public record ProviderConfig(String id, Optional<ProviderHostsConfig> hosts) implements ValidatedConfig {

    /** A provider without {@code hosts}. */
    public ProviderConfig(String id) {
        this(id, Optional.empty());
    }

    @Override
    public List<ConfigProblem> validate() {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            return List.of(new ConfigProblem("id",
                    "must be letters, digits, '-' and '_' (it is part of the provider API's URLs), got '" + id + "'"));
        }
        return List.of();
    }
}
