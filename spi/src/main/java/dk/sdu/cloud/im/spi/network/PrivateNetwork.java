package dk.sdu.cloud.im.spi.network;

import static java.util.Objects.requireNonNull;

/**
 * A private network (UCloud's {@code private_network} resource): jobs attached to it reach each other by
 * name, {@code <hostname>.<subdomain>}, and nobody else reaches them through it.
 *
 * @param id        the resource's id at Core
 * @param owner     who holds it
 * @param name      the name the user gave it
 * @param subdomain the network's DNS label, unique at the provider
 */
public record PrivateNetwork(String id, ResourceOwner owner, String name, String subdomain) {
    public PrivateNetwork {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(name, "name is null");
        requireNonNull(subdomain, "subdomain is null");
    }
}
