package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.JobOwner;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Resolves a job's {@code private_network} resources into the networks its VM joins. Each network becomes a
 * label on the VM's pod and a search domain of its resolver, and the pod is selected by the network's policy:
 * a network the job's owner does not hold would let the job into someone else's traffic, so it is refused.
 */
public final class PrivateNetworkAdmission {
    /** The type tag of a private network resource in a job's resources. */
    public static final String RESOURCE_TYPE = "private_network";
    /**
     * The most private networks one job may join. Each adds a label, a search domain (resolvers honour only
     * a handful; glibc reads at most 32) and a NetworkPolicy that selects the pod.
     */
    public static final int MAX_NETWORKS = 8;
    /**
     * The longest subdomain that still gives a valid label name {@code network-<subdomain>} (the name part of a
     * label key is at most 63 characters).
     */
    public static final int MAX_SUBDOMAIN_LENGTH = VmJobNames.MAX_LABEL_LENGTH - "network-".length();

    private final NetworkResources networks;

    /** @param networks the provider's network resources, as the host keeps them */
    public PrivateNetworkAdmission(NetworkResources networks) {
        this.networks = requireNonNull(networks, "networks is null");
    }

    /**
     * The networks the job's resources name, each once, in their order; a problem is added for each resource
     * that cannot be used.
     *
     * @param owner the job's owner (null when the job names none: then no network is held)
     */
    public List<PrivateNetwork> resolve(List<AppParameterValue> resources, JobOwner owner, List<String> problems) {
        requireNonNull(resources, "resources is null");
        requireNonNull(problems, "problems is null");
        List<PrivateNetwork> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (AppParameterValue resource : resources) {
            if (resource == null || !RESOURCE_TYPE.equals(resource.type())) {
                continue;
            }
            String id = resource.id();
            if (id == null || id.isBlank()) {
                problems.add("A private network resource names no network (id).");
                continue;
            }
            if (!seen.add(id)) {
                continue;   // the same network twice is one membership
            }
            Optional<PrivateNetwork> network = networks.privateNetwork(id);
            if (network.isEmpty()) {
                problems.add("Unknown private network '" + UserText.printable(id) + "'.");
                continue;
            }
            if (owner == null || !network.get().owner().heldBy(owner)) {
                problems.add("The private network '" + UserText.printable(id) + "' ("
                        + UserText.printable(network.get().name()) + ") is not held by the job's "
                        + (owner != null && owner.projectId().isPresent() ? "project" : "owner") + ".");
                continue;
            }
            String subdomain = network.get().subdomain();
            if (!VmJobNames.isDnsLabel(subdomain) || subdomain.length() > MAX_SUBDOMAIN_LENGTH) {
                problems.add("The private network '" + UserText.printable(id) + "' has the subdomain '"
                        + UserText.printable(subdomain) + "', which cannot name Kubernetes objects (a DNS label "
                        + "of at most " + MAX_SUBDOMAIN_LENGTH + " characters).");
                continue;
            }
            found.add(network.get());
        }
        if (seen.size() > MAX_NETWORKS) {
            problems.add("A virtual machine joins at most " + MAX_NETWORKS + " private networks, the job names "
                    + seen.size() + ".");
        }
        return List.copyOf(found);
    }
}
