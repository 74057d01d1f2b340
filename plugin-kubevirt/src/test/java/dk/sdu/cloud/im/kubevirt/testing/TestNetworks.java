package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.network.PrivateNetwork;
import dk.sdu.cloud.im.spi.network.PublicIp;
import dk.sdu.cloud.im.spi.network.PublicLink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The host's network resources as a test gives them: fixed private networks, nothing else. */
public final class TestNetworks implements NetworkResources {
    private final Map<String, PrivateNetwork> privateNetworks = new LinkedHashMap<>();

    public TestNetworks(List<PrivateNetwork> networks) {
        networks.forEach(network -> privateNetworks.put(network.id(), network));
    }

    /** A job's resource naming the private network {@code id}. */
    public static AppParameterValue resource(String id) {
        return new AppParameterValue("private_network", null, null, null, null, null, null, id, null);
    }

    @Override
    public Optional<PublicIp> publicIp(String id) {
        return Optional.empty();
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
