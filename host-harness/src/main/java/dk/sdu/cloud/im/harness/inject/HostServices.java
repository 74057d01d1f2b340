package dk.sdu.cloud.im.harness.inject;

import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.host.SecretStore;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import dk.sdu.cloud.im.spi.network.NetworkResources;

import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * The services the host lends to every extension, as bound in its injector.
 *
 * @param fileSystem       the provider file system
 * @param machineCatalog   the products
 * @param providerSettings provider id and sensitive projects
 * @param sshSettings      SSH access to jobs
 * @param jobUpdates       job updates towards Core
 * @param sshKeys          job owners' SSH keys
 * @param secrets          the persistent secret store
 * @param clock            the clock
 * @param kubernetes       the cluster connection and namespace
 * @param installation     the IM's installation folder
 * @param networkResources the provider's public IPs, public links and private networks
 */
public record HostServices(
        ProviderFileSystem fileSystem,
        MachineCatalog machineCatalog,
        ProviderSettings providerSettings,
        SshSettings sshSettings,
        JobUpdates jobUpdates,
        SshKeyDirectory sshKeys,
        SecretStore secrets,
        Clock clock,
        KubernetesAccess kubernetes,
        Installation installation,
        NetworkResources networkResources
) {
    public HostServices {
        requireNonNull(fileSystem, "fileSystem is null");
        requireNonNull(machineCatalog, "machineCatalog is null");
        requireNonNull(providerSettings, "providerSettings is null");
        requireNonNull(sshSettings, "sshSettings is null");
        requireNonNull(jobUpdates, "jobUpdates is null");
        requireNonNull(sshKeys, "sshKeys is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(kubernetes, "kubernetes is null");
        requireNonNull(installation, "installation is null");
        requireNonNull(networkResources, "networkResources is null");
    }
}
