package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.harness.settings.HarnessKubernetesConfig;

import java.nio.file.Path;

/** Opens a {@link ClusterConnection} as {@code harness.kubernetes} says. */
@FunctionalInterface
public interface ClusterConnector {

    /**
     * @param settings     {@code harness.kubernetes}
     * @param configFolder the configuration file's folder (relative paths are relative to it)
     * @param namespace    {@code services.compute.namespace}
     * @throws ClusterConnectionException with the reason when the cluster cannot be used
     */
    ClusterConnection connect(HarnessKubernetesConfig settings, Path configFolder, String namespace);

    /**
     * {@link #connect(HarnessKubernetesConfig, Path, String)}, knowing the host's folders (embedded mode keeps
     * its simulated guests there). By default the folders are not used.
     */
    default ClusterConnection connect(HarnessKubernetesConfig settings, Path configFolder, String namespace,
                                      HostFolders folders) {
        return connect(settings, configFolder, namespace);
    }
}
