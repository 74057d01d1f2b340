package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.Optional;

/**
 * Where the host's public links are looked up by their Core id (the public link store implements it; the
 * host's {@link dk.sdu.cloud.im.spi.network.NetworkResources} delegates to it).
 */
public interface PublicLinkLookup {

    /** The public link with this id, if the provider created one (and it was not deleted since). */
    Optional<PublicLink> find(String id);
}
