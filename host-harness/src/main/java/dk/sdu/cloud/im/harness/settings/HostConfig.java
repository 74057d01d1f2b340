package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;

import static java.util.Objects.requireNonNull;

/**
 * The host's own keys, from the root of the file. Plugins' sections live beside them.
 *
 * @param provider {@code provider}
 * @param services {@code services}
 * @param harness  {@code harness}: how {@code ucloud-im serve} runs (all keys optional)
 */
public record HostConfig(ProviderConfig provider, ServicesConfig services, @ConfigDefault("{}") HarnessConfig harness) {
    public HostConfig {
        requireNonNull(provider, "provider is null");
        requireNonNull(services, "services is null");
        requireNonNull(harness, "harness is null");
    }
}
