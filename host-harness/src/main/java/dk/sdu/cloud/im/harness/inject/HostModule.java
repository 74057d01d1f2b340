package dk.sdu.cloud.im.harness.inject;

import com.google.inject.AbstractModule;
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

/** Binds the host services (the SPI's {@code host} and {@code kubernetes} types, the clock and the installation). */
public final class HostModule extends AbstractModule {
    private final HostServices services;

    public HostModule(HostServices services) {
        this.services = requireNonNull(services, "services is null");
    }

    @Override
    protected void configure() {
        bind(ProviderFileSystem.class).toInstance(services.fileSystem());
        bind(MachineCatalog.class).toInstance(services.machineCatalog());
        bind(ProviderSettings.class).toInstance(services.providerSettings());
        bind(SshSettings.class).toInstance(services.sshSettings());
        bind(JobUpdates.class).toInstance(services.jobUpdates());
        bind(SshKeyDirectory.class).toInstance(services.sshKeys());
        bind(SecretStore.class).toInstance(services.secrets());
        bind(Clock.class).toInstance(services.clock());
        bind(KubernetesAccess.class).toInstance(services.kubernetes());
        bind(Installation.class).toInstance(services.installation());
        bind(NetworkResources.class).toInstance(services.networkResources());
    }
}
