package dk.sdu.cloud.im.harness.settings;

import static java.util.Objects.requireNonNull;

/**
 * The host's own keys, from the root of the file. Plugins' sections live beside them.
 *
 * @param provider {@code provider}
 * @param services {@code services}
 */
public record HostConfig(ProviderConfig provider, ServicesConfig services) {
    public HostConfig {
        requireNonNull(provider, "provider is null");
        requireNonNull(services, "services is null");
    }
}
