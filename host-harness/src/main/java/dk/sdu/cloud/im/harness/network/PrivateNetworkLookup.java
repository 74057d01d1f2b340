package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.Optional;

/** The private networks the provider created, by their Core id: what {@code NetworkResources} answers from. */
public interface PrivateNetworkLookup {

    /** The private network with this id, if it was created here and not deleted. */
    Optional<PrivateNetwork> find(String id);
}
