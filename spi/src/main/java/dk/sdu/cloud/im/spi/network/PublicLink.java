package dk.sdu.cloud.im.spi.network;

import static java.util.Objects.requireNonNull;

/**
 * A public link (UCloud's {@code ingress} resource): a domain that the provider routes to a port of the job
 * it is attached to. The port is not part of the link; the job's {@code ingress} resource names it.
 *
 * @param id     the resource's id at Core
 * @param owner  who holds it
 * @param domain the domain, already checked against the provider's configured prefix and suffix
 */
public record PublicLink(String id, ResourceOwner owner, String domain) {
    public PublicLink {
        requireNonNull(id, "id is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(domain, "domain is null");
    }
}
