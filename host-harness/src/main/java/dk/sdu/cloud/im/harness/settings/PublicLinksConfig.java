package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code services.compute.publicLinks}: the public link product (UCloud's {@code ingress} resource). A link's
 * domain must be {@code <prefix><name><suffix>}; the rules for the name are {@code harness.network.links.LinkDomains}.
 *
 * @param enabled whether the product is offered (default false, as in UCloud)
 * @param name    the product's and its category's name (default {@code public-links}, as in UCloud)
 * @param prefix  what every link's domain starts with; required when enabled
 * @param suffix  what every link's domain ends with, e.g. {@code .apps.example.org}; required when enabled
 */
public record PublicLinksConfig(@ConfigDefault("false") boolean enabled,
                                @ConfigDefault(PublicLinksConfig.DEFAULT_NAME) String name,
                                Optional<String> prefix, Optional<String> suffix) implements ValidatedConfig {
    /** UCloud's default product name. */
    public static final String DEFAULT_NAME = "public-links";

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>(requiredWhenEnabled(enabled, "publicLinks", prefix, suffix));
        if (name != null && name.isBlank()) {
            problems.add(new ConfigProblem("name", "must not be empty (UCloud's default is '" + DEFAULT_NAME + "')"));
        }
        suffix.filter(s -> !s.isBlank() && !s.equals(s.toLowerCase(java.util.Locale.ROOT))).ifPresent(s ->
                problems.add(new ConfigProblem("suffix", "must be lowercase (domains are compared in lowercase), got '"
                        + s + "'")));
        prefix.filter(p -> !p.equals(p.toLowerCase(java.util.Locale.ROOT))).ifPresent(p ->
                problems.add(new ConfigProblem("prefix", "must be lowercase (domains are compared in lowercase), got '"
                        + p + "'")));
        return problems;
    }

    /** The product turned off, as when the section is missing. */
    public static PublicLinksConfig disabled() {
        return new PublicLinksConfig(false, DEFAULT_NAME, Optional.empty(), Optional.empty());
    }

    /** The prefix, empty when not given. */
    public String prefixOrEmpty() {
        return prefix.orElse("");
    }

    /** The suffix, empty when not given. */
    public String suffixOrEmpty() {
        return suffix.orElse("");
    }

    static List<ConfigProblem> requiredWhenEnabled(boolean enabled, String section, Optional<String> prefix,
                                                   Optional<String> suffix) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (enabled && prefix.filter(p -> !p.isBlank()).isEmpty()) {
            problems.add(new ConfigProblem("prefix", "is required when " + section + ".enabled is true"));
        }
        if (enabled && suffix.filter(s -> !s.isBlank()).isEmpty()) {
            problems.add(new ConfigProblem("suffix", "is required when " + section + ".enabled is true"));
        }
        return problems;
    }
}
