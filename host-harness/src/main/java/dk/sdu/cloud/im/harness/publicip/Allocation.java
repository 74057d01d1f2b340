package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.ResourceOwner;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A public IP resource of Core's and the pool address the IM gave it.
 *
 * @param id              the resource's id at Core
 * @param owner           who holds it
 * @param externalAddress the pool entry's public address
 * @param openPorts       its firewall's open ranges, as last set
 */
public record Allocation(String id, ResourceOwner owner, String externalAddress, List<PortRange> openPorts) {
    public Allocation {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(externalAddress, "externalAddress is null");
        openPorts = List.copyOf(openPorts);
    }

    /** The same allocation with another firewall. */
    public Allocation withOpenPorts(List<PortRange> ports) {
        return new Allocation(id, owner, externalAddress, ports);
    }

    /** The resource as backends see it, given its pool entry. */
    public PublicIp toPublicIp(PoolEntry entry) {
        return new PublicIp(id, owner, entry.externalAddress(), entry.internalAddress(), openPorts);
    }
}
