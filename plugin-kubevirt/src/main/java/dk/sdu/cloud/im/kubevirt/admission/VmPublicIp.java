package dk.sdu.cloud.im.kubevirt.admission;

import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PublicIp;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A public IP attached to a VM job (a {@code network} resource), as the provider allocated it.
 *
 * @param id              the resource's id at Core
 * @param externalAddress the public address users connect to (what the job's message names)
 * @param internalAddress where that traffic arrives (the IP Service's {@code externalIPs})
 * @param openPorts       the firewall's open ranges, in the user's order
 */
public record VmPublicIp(String id, String externalAddress, String internalAddress, List<PortRange> openPorts) {
    public VmPublicIp {
        requireNonNull(id, "id is null");
        requireNonNull(externalAddress, "externalAddress is null");
        requireNonNull(internalAddress, "internalAddress is null");
        openPorts = List.copyOf(openPorts);
    }

    /** The job's view of a resource the host keeps. */
    public static VmPublicIp of(PublicIp ip) {
        return new VmPublicIp(ip.id(), ip.externalAddress(), ip.internalAddress(), ip.openPorts());
    }

    /** How many ports its firewall opens (each becomes a port of the IP Service). */
    public int portCount() {
        return openPorts.stream().mapToInt(PortRange::size).sum();
    }

    /** Whether it is an IPv6 address (its policy rule is then from {@code ::/0}). */
    public boolean ipv6() {
        return internalAddress.contains(":") || externalAddress.contains(":");
    }
}
