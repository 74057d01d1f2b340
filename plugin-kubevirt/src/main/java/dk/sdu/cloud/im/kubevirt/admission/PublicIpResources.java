package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PublicIp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Resolves a job's {@code network} resources (public IPs) through the host's {@link NetworkResources}: each must
 * exist at this provider and be held by the job's owner, and all of them together may open at most
 * {@value #MAX_SERVICE_PORTS} ports, since every opened port becomes a port of the job's IP Service.
 */
final class PublicIpResources {
    /** The job resource type of a public IP. */
    static final String TYPE = "network";
    /**
     * The most ports the IP Service of one job may have: Kubernetes keeps every port of a Service in its object
     * and in each node's rules, so a job with thousands would weigh on the whole cluster.
     */
    static final int MAX_SERVICE_PORTS = 1000;

    private final NetworkResources networks;

    PublicIpResources(NetworkResources networks) {
        this.networks = requireNonNull(networks, "networks is null");
    }

    /** The job's public IPs; what is wrong is added to {@code problems}. */
    List<VmPublicIp> resolve(List<AppParameterValue> resources, JobOwner owner, List<String> problems) {
        Set<String> ids = new LinkedHashSet<>();
        for (AppParameterValue resource : resources) {
            if (!TYPE.equals(resource.type())) {
                continue;
            }
            if (resource.id() == null || resource.id().isBlank()) {
                problems.add("A public IP resource of the job names no public IP (its id is missing).");
                continue;
            }
            ids.add(resource.id());
        }
        List<VmPublicIp> ips = new ArrayList<>();
        for (String id : ids) {
            Optional<PublicIp> ip = networks.publicIp(id);
            if (ip.isEmpty()) {
                problems.add("The public IP " + UserText.printable(id) + " does not exist at this provider.");
                continue;
            }
            if (owner == null || !ip.get().owner().heldBy(owner)) {
                problems.add("The public IP " + UserText.printable(id) + " (" + ip.get().externalAddress()
                        + ") is not yours to use: it belongs to " + describe(ip.get()) + ".");
                continue;
            }
            ips.add(VmPublicIp.of(ip.get()));
        }
        int ports = ips.stream().mapToInt(VmPublicIp::portCount).sum();
        if (ports > MAX_SERVICE_PORTS) {
            problems.add("The job's public IPs open " + ports + " ports together, more than the "
                    + MAX_SERVICE_PORTS + " one job may have; close some in their firewalls.");
        }
        return ips;
    }

    private static String describe(PublicIp ip) {
        return ip.owner().project() != null ? "another project" : "another user";
    }
}
