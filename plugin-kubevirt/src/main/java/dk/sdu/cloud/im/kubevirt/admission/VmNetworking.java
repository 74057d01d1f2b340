package dk.sdu.cloud.im.kubevirt.admission;

import java.util.List;
import java.util.TreeSet;

/**
 * How a VM job is reached beyond its own Service: its network resources, resolved by {@link VmJobAdmission}.
 *
 * @param links the public links attached to the job, in the job's order
 */
public record VmNetworking(List<VmLink> links) {
    /** No network resources. */
    public static final VmNetworking NONE = new VmNetworking(List.of());

    public VmNetworking {
        links = List.copyOf(links);
    }

    /** The ports of the VM that links lead to, ascending, each once. */
    public List<Integer> linkPorts() {
        return List.copyOf(new TreeSet<>(links.stream().map(VmLink::port).toList()));
    }
}
