package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.network.FixedNetworkResources;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The host services that depend on how the host runs: where job updates go, and which cluster the plugins
 * see. A serving IM records updates in its job store and connects to a cluster; the commands that only look
 * (config check, plugins, render) keep updates in memory and never contact a cluster.
 *
 * <p>Whoever creates the runtime's services owns them and closes them; {@link ImHost} does not.
 *
 * @param jobUpdates where backends' job updates go
 * @param kubernetes the cluster the plugins work on
 * @param fileSystem the provider file system when it depends on how the host runs (a serving IM's maps drives
 *                   through UCloud/Core); empty for the commands that contact no Core, which get
 *                   {@link dk.sdu.cloud.im.harness.fs.ConfiguredProviderFileSystem}
 * @param sshKeys    where the plugins look up job owners' SSH keys (a serving IM: Core); empty: the data
 *                   directory's {@code ssh-keys/} folder
 * @param networkResources the public IPs, public links and private networks backends look up (a serving IM:
 *                   its store)
 */
public record HostRuntime(JobUpdates jobUpdates, KubernetesAccess kubernetes, Optional<ProviderFileSystem> fileSystem,
                          Optional<SshKeyDirectory> sshKeys, NetworkResources networkResources) {
    public HostRuntime {
        requireNonNull(networkResources, "networkResources is null");
        requireNonNull(jobUpdates, "jobUpdates is null");
        requireNonNull(kubernetes, "kubernetes is null");
        requireNonNull(fileSystem, "fileSystem is null");
        requireNonNull(sshKeys, "sshKeys is null");
    }

    /** A runtime that asks no Core: the configured file system, SSH keys from the data directory. */
    public HostRuntime(JobUpdates jobUpdates, KubernetesAccess kubernetes) {
        this(jobUpdates, kubernetes, Optional.empty(), Optional.empty(), FixedNetworkResources.none());
    }

    /** Makes the runtime of a host once its configuration is known. */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param configuration the bound configuration
         * @param dataDirectory where the host keeps its state
         * @return the runtime services; the factory's caller closes them
         * @throws RuntimeException when they cannot be made (the host is then not assembled)
         */
        HostRuntime create(HostConfiguration configuration, Path dataDirectory);
    }
}
