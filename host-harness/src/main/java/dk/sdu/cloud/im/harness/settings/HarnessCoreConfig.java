package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code harness.core}: which UCloud/Core the IM calls.
 *
 * @param mode     {@code remote}: the Core at {@code provider.hosts.ucloud}, with the refresh token of
 *                 {@code server.yml} in the configuration folder; {@code local}: the harness plays Core
 *                 in-process. Absent: {@code local} when {@code harness.kubernetes.mode} is {@code embedded}
 *                 (a simulation on one machine), else {@code remote}, so that an operator never gets a fake
 *                 Core without saying so
 * @param port     the local Core's port ({@code local} only; default {@code 0}: a free port)
 * @param bindHost the local Core's address ({@code local} only; default {@code 127.0.0.1})
 */
public record HarnessCoreConfig(
        Optional<CoreMode> mode,
        @ConfigDefault("0") int port,
        @ConfigDefault("127.0.0.1") String bindHost
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add(new ConfigProblem("port", "must be a port between 1 and 65535 (or 0 for any free port), got "
                    + port));
        }
        if (bindHost != null && bindHost.isBlank()) {
            problems.add(new ConfigProblem("bindHost", "must not be empty (e.g. 127.0.0.1)"));
        }
        return problems;
    }

    /** The mode in force: the given one, else {@code local} in embedded Kubernetes mode and {@code remote} otherwise. */
    public CoreMode effectiveMode(KubernetesMode kubernetes) {
        return mode.orElse(kubernetes == KubernetesMode.EMBEDDED ? CoreMode.LOCAL : CoreMode.REMOTE);
    }
}
