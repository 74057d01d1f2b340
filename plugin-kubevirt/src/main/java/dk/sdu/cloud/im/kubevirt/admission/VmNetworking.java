package dk.sdu.cloud.im.kubevirt.admission;

import java.util.List;
import java.util.TreeSet;

/**
 * How a VM job is reached beyond its own Service and SSH: its network resources, resolved by
 * {@link VmJobAdmission}.
 *
 * @param publicIps the public IPs of its {@code network} resources, each once, in the job's order
 * @param links     the public links attached to the job, in the job's order
 */
public record VmNetworking(List<VmPublicIp> publicIps, List<VmLink> links) {
    /** No network resources. */
    public static final VmNetworking NONE = new VmNetworking(List.of(), List.of());

    public VmNetworking {
        publicIps = List.copyOf(publicIps);
        links = List.copyOf(links);
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
