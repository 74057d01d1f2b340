package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.Optional;

/** Where the host finds the private networks it keeps. */
@FunctionalInterface
public interface PrivateNetworkLookup {

    /** The private network with this id, if the provider created one. */
    Optional<PrivateNetwork> find(String id);

    /** A provider that keeps no private networks. */
    static PrivateNetworkLookup none() {
        return id -> Optional.empty();
    }
}
