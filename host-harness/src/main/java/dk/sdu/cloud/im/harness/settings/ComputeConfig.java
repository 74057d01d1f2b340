package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code services.compute}: the host's keys. {@code virtualMachines} is shared with the compute backend's
 * own section; the host reads only {@code enabled} and {@code storage.type} there.
 *
 * @param namespace       the namespace jobs run in (a DNS label)
 * @param ssh             SSH access to jobs
 * @param machines        the product categories, by name
 * @param virtualMachines whether VMs are enabled and which storage backs their disks
 */
public record ComputeConfig(
        @ConfigDefault("ucloud-apps") String namespace,
        Optional<SshConfig> ssh,
        Map<String, MachineCategoryConfig> machines,
        Optional<VirtualMachinesConfig> virtualMachines
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        if (!DnsLabels.isDnsLabel(namespace)) {
            return List.of(new ConfigProblem("namespace", "must be a DNS label (lower-case letters, digits and "
                    + "'-', starting and ending with a letter or digit, at most 63 characters), got '" + namespace + "'"));
        }
        return List.of();
    }
}
