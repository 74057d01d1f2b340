package dk.sdu.cloud.im.harness.publicip;

import dk.sdu.cloud.im.spi.network.PortRange;
import dk.sdu.cloud.im.spi.network.ResourceOwner;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A public IP resource Core asks an address for.
 *
 * @param id        the resource's id at Core
 * @param owner     who holds it
 * @param openPorts its firewall's open ranges (checked already)
 */
public record NewPublicIp(String id, ResourceOwner owner, List<PortRange> openPorts) {
    public NewPublicIp {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        openPorts = List.copyOf(openPorts);
    }
}
