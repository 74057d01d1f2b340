package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code services.compute.publicIps}: UCloud's public IP product. The addresses come from the IM's pool
 * ({@code ucloud-im ips}), not from here.
 *
 * @param enabled  whether the product is offered ({@code networkips/retrieveProducts} answers it)
 * @param name     its product and category name, as in UCloud's configuration
 * @param maxPorts the most ports one public IP's firewall may open in total (each opened port becomes a port of
 *                 the job's Service); not one of UCloud's keys
 */
public record PublicIpsConfig(
        @ConfigDefault("false") boolean enabled,
        @ConfigDefault(PublicIpsConfig.DEFAULT_NAME) String name,
        @ConfigDefault("" + PublicIpsConfig.DEFAULT_MAX_PORTS) int maxPorts
) implements ValidatedConfig {
    /** UCloud's default product name. */
    public static final String DEFAULT_NAME = "public-ip";
    /** The default of {@code maxPorts}. */
    public static final int DEFAULT_MAX_PORTS = 100;
    /** The largest {@code maxPorts}: a Service with more ports than this is more than a cluster should carry. */
    public static final int MAX_MAX_PORTS = 1000;
    /** The section when absent. */
    public static final PublicIpsConfig DISABLED = new PublicIpsConfig(false, DEFAULT_NAME, DEFAULT_MAX_PORTS);

    public PublicIpsConfig {
        requireNonNull(name, "name is null");
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (name.isBlank()) {
            problems.add(new ConfigProblem("name", "must not be empty"));
        }
        if (maxPorts < 1 || maxPorts > MAX_MAX_PORTS) {
            problems.add(new ConfigProblem("maxPorts", "must be 1-" + MAX_MAX_PORTS + ", got " + maxPorts));
        }
        return problems;
    }
}
