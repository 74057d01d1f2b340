package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code services.compute}: the host's keys. {@code virtualMachines} is shared with the compute backend's
 * own section; the host reads only {@code enabled} and {@code storage.type} there. UCloud's other keys of
 * this section are read by {@link UCloudCompatibilityKeys.Compute}.
 *
 * @param namespace       the namespace jobs run in (a DNS label); UCloud/IM reads {@code services.namespace}
 *                        instead (see {@link ServicesConfig#effectiveNamespace()})
 * @param ssh             SSH access to jobs
 * @param machines        the product categories, by name
 * @param virtualMachines whether VMs are enabled and which storage backs their disks
 * @param web             whether jobs offer web interfaces (UCloud's {@code web})
 * @param publicLinks     the public link product (UCloud's {@code publicLinks})
 * @param publicIps       the public IP product ({@code services.compute.publicIps})
 */
public record ComputeConfig(
        Optional<String> namespace,
        Optional<SshConfig> ssh,
        Map<String, MachineCategoryConfig> machines,
        Optional<VirtualMachinesConfig> virtualMachines,
        Optional<WebConfig> web,
        Optional<PublicLinksConfig> publicLinks,
        Optional<PublicIpsConfig> publicIps
) implements ValidatedConfig {

    /** {@code web}, off when the section is missing. */
    public WebConfig effectiveWeb() {
        return web.orElse(WebConfig.disabled());
    }

    /** {@code publicLinks}, off when the section is missing. */
    public PublicLinksConfig effectivePublicLinks() {
        return publicLinks.orElse(PublicLinksConfig.disabled());
    }

    /** {@code publicIps}, off when the section is missing. */
    public PublicIpsConfig effectivePublicIps() {
        return publicIps == null ? PublicIpsConfig.DISABLED : publicIps.orElse(PublicIpsConfig.DISABLED);
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        namespace.filter(n -> !DnsLabels.isDnsLabel(n)).ifPresent(n -> problems.add(new ConfigProblem("namespace",
                ServicesConfig.notADnsLabel(n))));
        if (machines != null) {
            machines.forEach((name, category) -> {
                for (ConfigProblem problem : category.duplicateProductIds(name)) {
                    problems.add(new ConfigProblem("machines." + name + "." + problem.path(), problem.message()));
                }
            });
        }
        return problems;
    }
}
