package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code provider.hosts}: where UCloud/Core and this IM are reached, as in UCloud's configuration. The IM calls
 * Core at {@code ucloud} (with {@code harness.core.mode: remote}); the others are read as UCloud reads them.
 *
 * @param ucloud       how the IM reaches Core (port required)
 * @param self         how Core reaches the IM (port required)
 * @param ucloudPublic Core's address as browsers see it; absent: {@code ucloud}
 * @param selfPublic   the IM's address as browsers see it; absent: {@code self}
 */
public record ProviderHostsConfig(
        HostInfoConfig ucloud,
        HostInfoConfig self,
        Optional<HostInfoConfig> ucloudPublic,
        Optional<HostInfoConfig> selfPublic
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        requirePort("ucloud", ucloud, problems);
        requirePort("self", self, problems);
        return problems;
    }

    private static void requirePort(String key, HostInfoConfig host, List<ConfigProblem> problems) {
        if (host != null && host.port() == 0) {
            problems.add(new ConfigProblem(key + ".port", "is required (1-65535); did you remember to specify a port?"));
        }
    }

    /** {@code ucloudPublic}, else {@code ucloud}. */
    public HostInfoConfig effectiveUcloudPublic() {
        return ucloudPublic.orElse(ucloud);
    }

    /** {@code selfPublic}, else {@code self}. */
    public HostInfoConfig effectiveSelfPublic() {
        return selfPublic.orElse(self);
    }
}
