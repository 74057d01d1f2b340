package dk.sdu.cloud.im.kubevirt.admission;

import java.util.List;

/**
 * How a VM job is reached besides SSH, resolved from its resources by {@link VmJobAdmission}.
 *
 * @param publicIps the public IPs of its {@code network} resources, each once, in the job's order
 */
public record VmNetworking(List<VmPublicIp> publicIps) {
    /** A job without network resources. */
    public static final VmNetworking NONE = new VmNetworking(List.of());

    public VmNetworking {
        publicIps = List.copyOf(publicIps);
    }

    /** The public addresses, for the job's message. */
    public List<String> externalAddresses() {
        return publicIps.stream().map(VmPublicIp::externalAddress).toList();
    }
}
