package dk.sdu.cloud.im.spi.network;

import java.util.Optional;

/**
 * The provider's network resources as the host keeps them, looked up by their Core id. A backend checks
 * {@link ResourceOwner#heldBy} against the job's owner itself, so that it can tell the user which resource
 * they do not hold. Answers reflect the latest change (a firewall update, a deletion) at once.
 */
public interface NetworkResources {

    /** The public IP with this id, if the provider allocated one. */
    Optional<PublicIp> publicIp(String id);

    /** The public link with this id, if the provider created one. */
    Optional<PublicLink> publicLink(String id);

    /** The private network with this id, if the provider created one. */
    Optional<PrivateNetwork> privateNetwork(String id);

    /** A provider without network resources (none configured, or a command that keeps no state). */
    static NetworkResources none() {
        return new NetworkResources() {
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
                return Optional.empty();
            }
        };
    }
}
