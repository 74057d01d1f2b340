package dk.sdu.cloud.im.harness.network.privatenet;

import dk.sdu.cloud.im.harness.network.PrivateNetworkLookup;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import java.util.List;

/** The private networks the provider created: kept across restarts, each subdomain at most once. */
public interface PrivateNetworkStore extends PrivateNetworkLookup {

    /** Every network, in the order they were created. */
    List<PrivateNetwork> all();

    /**
     * Keeps the networks, all or none. A network already kept with the same id and content is kept as it is.
     *
     * @throws IllegalStateException when a network with another id has the same subdomain (ignoring case), or one
     *                               with the same id differs; nothing is kept then
     */
    void create(List<PrivateNetwork> networks);

    /** Forgets the networks with these ids; unknown ids are fine. */
    void delete(List<String> ids);
}
