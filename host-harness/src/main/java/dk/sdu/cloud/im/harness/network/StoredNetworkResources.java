package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The network resources a serving IM keeps, as backends look them up: public IPs from the pool's store, public
 * links and private networks from theirs. Every answer reads the store, so a change (a firewall, a deletion) shows
 * at once.
 */
public final class StoredNetworkResources implements NetworkResources {
    private final PublicIpLookup publicIps;
    private final PublicLinkLookup publicLinks;
    private final PrivateNetworkLookup privateNetworks;

    public StoredNetworkResources(PublicIpLookup publicIps, PublicLinkLookup publicLinks,
                                  PrivateNetworkLookup privateNetworks) {
        this.publicIps = requireNonNull(publicIps, "publicIps is null");
        this.publicLinks = requireNonNull(publicLinks, "publicLinks is null");
        this.privateNetworks = requireNonNull(privateNetworks, "privateNetworks is null");
    }

    @Override
    public Optional<PublicIp> publicIp(String id) {
        return publicIps.find(requireNonNull(id, "id is null"));
    }

    @Override
    public Optional<PublicLink> publicLink(String id) {
        return publicLinks.find(requireNonNull(id, "id is null"));
    }

    @Override
    public Optional<PrivateNetwork> privateNetwork(String id) {
        return privateNetworks.find(requireNonNull(id, "id is null"));
    }
}
