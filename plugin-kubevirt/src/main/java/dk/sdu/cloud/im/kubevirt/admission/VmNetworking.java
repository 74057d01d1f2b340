package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.List;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * How a VM job is reached beyond its own Service and SSH: its network resources, resolved by
 * {@link VmJobAdmission} through the host's {@link dk.sdu.cloud.im.spi.network.NetworkResources} and checked
 * against the job's owner.
 *
 * @param publicIps       the public IPs of its {@code network} resources, each once, in the job's order
 * @param links           the public links attached to the job, in the job's order
 * @param privateNetworks the private networks the VM joins, in the order the job lists them (the first one gives
 *                        the VM its subdomain); no two with the same id
 */
public record VmNetworking(List<VmPublicIp> publicIps, List<VmLink> links, List<PrivateNetwork> privateNetworks) {
    /** No network resources. */
    public static final VmNetworking NONE = new VmNetworking(List.of(), List.of(), List.of());

    public VmNetworking {
        publicIps = List.copyOf(requireNonNull(publicIps, "publicIps is null"));
        links = List.copyOf(requireNonNull(links, "links is null"));
        privateNetworks = List.copyOf(requireNonNull(privateNetworks, "privateNetworks is null"));
    }

    /** The public addresses, for the job's message. */
    public List<String> externalAddresses() {
        return publicIps.stream().map(VmPublicIp::externalAddress).toList();
    }

    /** The ports of the VM that links lead to, ascending, each once. */
    public List<Integer> linkPorts() {
        return List.copyOf(new TreeSet<>(links.stream().map(VmLink::port).toList()));
    }
}
