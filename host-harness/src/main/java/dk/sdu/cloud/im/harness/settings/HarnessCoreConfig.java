package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * @param drives   the drives the local Core knows from the start ({@code local} only): drive id to the drive's
 *                 {@code providerGeneratedId} ({@code h-<user>}, {@code p-<project>/<repo>},
 *                 {@code pm-<project>/<user>}, or {@code ""} for a collection, {@code collections/<id>}); the
 *                 member-files drives it registers itself
 * @param outbox   the delivery of job updates to Core
 */
public record HarnessCoreConfig(
        Optional<CoreMode> mode,
        @ConfigDefault("0") int port,
        @ConfigDefault("127.0.0.1") String bindHost,
        @ConfigDefault("{}") Map<String, String> drives,
        @ConfigDefault("{}") HarnessOutboxConfig outbox
) implements ValidatedConfig {

    /** Without drives, with the outbox's defaults. */
    public HarnessCoreConfig(Optional<CoreMode> mode, int port, String bindHost) {
        this(mode, port, bindHost, Map.of(), new HarnessOutboxConfig(HarnessOutboxConfig.DEFAULT_MAX_BATCH));
    }

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
        if (drives != null) {
            drives.forEach((id, providerGeneratedId) -> {
                if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
                    problems.add(new ConfigProblem("drives." + id, "a drive id is 1-64 letters, digits, '_', '.' "
                            + "or '-'"));
                }
                if (providerGeneratedId == null || !providerGeneratedId.isEmpty()
                        && !providerGeneratedId.matches("(h|p|pm|s)-\\S+")) {
                    problems.add(new ConfigProblem("drives." + id, "must be the drive's providerGeneratedId: "
                            + "h-<user>, p-<project>/<repo>, pm-<project>/<user>, s-<share>, or \"\" for a "
                            + "collection; got '" + providerGeneratedId + "'"));
                }
            });
        }
        return problems;
    }

    /** The mode in force: the given one, else {@code local} in embedded Kubernetes mode and {@code remote} otherwise. */
    public CoreMode effectiveMode(KubernetesMode kubernetes) {
        return mode.orElse(kubernetes == KubernetesMode.EMBEDDED ? CoreMode.LOCAL : CoreMode.REMOTE);
    }
}
