package dk.sdu.cloud.im.harness.kubernetes;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The host's folders a cluster connection may need: embedded mode keeps its simulated guests in the data
 * directory and finds the agent launcher in the provider file system.
 *
 * @param dataDirectory the host's data directory ({@code harness.dataDirectory}, resolved)
 * @param mountPoint    the provider file system's mount point ({@code services.fileSystem.mountPoint})
 */
public record HostFolders(Path dataDirectory, Path mountPoint) {

    public HostFolders {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(mountPoint, "mountPoint is null");
    }
}
