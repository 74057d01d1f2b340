package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.Optional;

/** Where the host finds the public links it keeps. */
@FunctionalInterface
public interface PublicLinkLookup {

    /** The public link with this id, if the provider created one. */
    Optional<PublicLink> find(String id);

    /** A provider that keeps no public links. */
    static PublicLinkLookup none() {
        return id -> Optional.empty();
    }
}
