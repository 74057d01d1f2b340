package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;
import java.util.Optional;

/**
 * {@code services.compute.web}: whether jobs offer web interfaces. UCloud/IM gives containers an address
 * {@code <prefix><job>-<rank><suffix>}; a virtual machine is reached on the web only through the public links
 * bound to its ports, so here the section only turns the web feature on (Core shows the job's "open
 * interface" button) and keeps UCloud's rule that {@code prefix} and {@code suffix} are given when enabled.
 *
 * @param enabled whether jobs' web interfaces are offered (default false, as in UCloud)
 * @param prefix  required when enabled
 * @param suffix  required when enabled
 */
public record WebConfig(@ConfigDefault("false") boolean enabled, Optional<String> prefix, Optional<String> suffix)
        implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        return PublicLinksConfig.requiredWhenEnabled(enabled, "web", prefix, suffix);
    }

    /** Web interfaces turned off, as when the section is missing. */
    public static WebConfig disabled() {
        return new WebConfig(false, Optional.empty(), Optional.empty());
    }
}
