package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.harness.settings.HarnessEmbeddedConfig;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where embedded mode's simulated guests live and what they run ({@code harness.kubernetes.embedded}).
 *
 * @param rootsFolder   the guest roots: {@code <rootsFolder>/<namespace>/<vmi name>/}
 * @param agentLauncher the agent launcher each guest runs as {@code <launcher> --simulated-guest <root>}
 */
public record EmbeddedClusterGuests(Path rootsFolder, Path agentLauncher) {
    /** The guest roots' folder in the data directory. */
    public static final String ROOTS_FOLDER = "embedded-guests";

    public EmbeddedClusterGuests {
        requireNonNull(rootsFolder, "rootsFolder is null");
        requireNonNull(agentLauncher, "agentLauncher is null");
    }

    /** As configured: roots in {@code <data directory>/embedded-guests}, a relative launcher under the mount point. */
    public static EmbeddedClusterGuests of(HarnessEmbeddedConfig config, HostFolders folders) {
        requireNonNull(config, "config is null");
        requireNonNull(folders, "folders is null");
        return new EmbeddedClusterGuests(folders.dataDirectory().resolve(ROOTS_FOLDER),
                folders.mountPoint().resolve(config.agentLauncher()).normalize());
    }
}
