package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code harness.kubernetes.embedded}: the simulated guests of embedded mode (read in mode {@code embedded}
 * only). Each running VMI gets a guest root folder under {@code <harness.dataDirectory>/embedded-guests/},
 * written as cloud-init would, the guest agent run in it as a local process, and a serial console on the
 * embedded API.
 *
 * @param guests        whether running VMIs get simulated guests (default {@code true}); {@code false}: no
 *                      guest folders, no agents, no serial consoles
 * @param agentLauncher the agent launcher each guest runs ({@code <launcher> --simulated-guest <root>}); a
 *                      relative path is relative to {@code services.fileSystem.mountPoint} (default
 *                      {@code ucloud-exe/vmagent}: where the KubeVirt plugin installs the agent bundle, the
 *                      guest's {@code /opt/ucloud/vmagent}). While it does not exist guests run without their
 *                      agent and start it when it appears.
 */
public record HarnessEmbeddedConfig(
        @ConfigDefault("true") boolean guests,
        @ConfigDefault("ucloud-exe/vmagent") String agentLauncher
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (agentLauncher != null && agentLauncher.isBlank()) {
            problems.add(new ConfigProblem("agentLauncher", "must not be empty (default ucloud-exe/vmagent)"));
        }
        return problems;
    }
}
