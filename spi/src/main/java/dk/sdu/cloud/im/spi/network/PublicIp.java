package dk.sdu.cloud.im.spi.network;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A public IP address of the provider's pool, allocated to a UCloud public IP resource.
 *
 * @param id              the resource's id at Core (the {@code id} of a job's {@code network} resource)
 * @param owner           who holds it
 * @param externalAddress the public address users connect to
 * @param internalAddress the address inside the provider's network that traffic to it arrives at (what a
 *                        Service's {@code externalIPs} names)
 * @param openPorts       the firewall's open port ranges, in the order the user gave them
 */
public record PublicIp(String id, ResourceOwner owner, String externalAddress, String internalAddress,
                       List<PortRange> openPorts) {
    public PublicIp {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(externalAddress, "externalAddress is null");
        requireNonNull(internalAddress, "internalAddress is null");
        openPorts = List.copyOf(openPorts);
    }
}
