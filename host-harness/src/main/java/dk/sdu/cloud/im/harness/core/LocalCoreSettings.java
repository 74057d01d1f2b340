package dk.sdu.cloud.im.harness.core;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where the harness's Core keeps its files and listens.
 *
 * @param providerId the provider it serves (its access tokens name it)
 * @param folder     its files: the key pair, {@code ucloud_key.pub} and {@code server.yml}
 *                   ({@code <harness.dataDirectory>/core})
 * @param bindHost   the address it listens on
 * @param port       its port; {@code 0} for a free one
 */
public record LocalCoreSettings(String providerId, Path folder, String bindHost, int port) {
    public LocalCoreSettings {
        requireNonNull(providerId, "providerId is null");
        requireNonNull(folder, "folder is null");
        requireNonNull(bindHost, "bindHost is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
    }
}
