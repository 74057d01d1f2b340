package dk.sdu.cloud.im.harness.network;

import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Network resources given up front and never changed: what the commands that keep no state (render, config
 * check) and tests look resources up in. A serving IM keeps its resources in its store instead.
 */
public final class FixedNetworkResources implements NetworkResources {
    private final Map<String, PublicIp> publicIps;
    private final Map<String, PublicLink> publicLinks;
    private final Map<String, PrivateNetwork> privateNetworks;

    public FixedNetworkResources(List<PublicIp> publicIps, List<PublicLink> publicLinks,
                                 List<PrivateNetwork> privateNetworks) {
        this.publicIps = byId(publicIps, PublicIp::id);
        this.publicLinks = byId(publicLinks, PublicLink::id);
        this.privateNetworks = byId(privateNetworks, PrivateNetwork::id);
    }

    /** No resources at all. */
    public static FixedNetworkResources none() {
        return new FixedNetworkResources(List.of(), List.of(), List.of());
    }

    @Override
    public Optional<PublicIp> publicIp(String id) {
        return Optional.ofNullable(publicIps.get(id));
    }

    @Override
    public Optional<PublicLink> publicLink(String id) {
        return Optional.ofNullable(publicLinks.get(id));
    }

    @Override
    public Optional<PrivateNetwork> privateNetwork(String id) {
        return Optional.ofNullable(privateNetworks.get(id));
    }

    private static <T> Map<String, T> byId(List<T> resources, Function<T, String> id) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T resource : resources) {
            if (map.put(id.apply(resource), resource) != null) {
                throw new IllegalArgumentException("two resources have the id " + id.apply(resource));
            }
        }
        return Map.copyOf(map);
    }
}
