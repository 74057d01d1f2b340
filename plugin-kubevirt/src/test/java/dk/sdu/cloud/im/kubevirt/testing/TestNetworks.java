package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The host's network resources as a test sets them: a firewall change is a {@link #put} of the changed IP. */
public final class TestNetworks implements NetworkResources {
    private final Map<String, PublicIp> publicIps = new ConcurrentHashMap<>();
    private final Map<String, PrivateNetwork> privateNetworks = new ConcurrentHashMap<>();

    /** Holds (or replaces) a public IP. */
    public TestNetworks put(PublicIp ip) {
        publicIps.put(ip.id(), ip);
        return this;
    }

    /** Holds (or replaces) a private network. */
    public TestNetworks put(PrivateNetwork network) {
        privateNetworks.put(network.id(), network);
        return this;
    }

    /** A job's resource naming the private network {@code id}. */
    public static AppParameterValue privateNetworkResource(String id) {
        return new AppParameterValue("private_network", null, null, null, null, null, null, id, null);
    }

    @Override
    public Optional<PublicIp> publicIp(String id) {
        return Optional.ofNullable(publicIps.get(id));
    }

    @Override
    public Optional<PublicLink> publicLink(String id) {
        return Optional.empty();
    }

    @Override
    public Optional<PrivateNetwork> privateNetwork(String id) {
        return Optional.ofNullable(privateNetworks.get(id));
    }
}
