package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.network.FixedNetworkResources;
import dk.sdu.cloud.im.harness.fs.ConfiguredProviderFileSystem;
import dk.sdu.cloud.im.harness.kubernetes.OfflineKubernetesAccess;
import dk.sdu.cloud.im.harness.services.InMemoryJobUpdates;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which {@link ProviderFileSystem} the host binds: the runtime's, else the configured one that asks no Core. */
class ImHostFileSystemTest {
    @TempDir
    Path temp;

    private HostOptions options() {
        return new HostOptions(ExampleConfigs.file("config-csi.yaml"), BuiltPlugins.copyTo(temp.resolve("plugins")),
                temp.resolve("state"));
    }

    @Test
    void theRuntimesFileSystemIsTheOneBound() {
        ProviderFileSystem runtimes = new ProviderFileSystem() {
            @Override
            public Path mountPoint() {
                return Path.of("/elsewhere");
            }

            @Override
            public Path trashStagingArea() {
                return Path.of("/elsewhere/trash");
            }

            @Override
            public String jobFolder(Job job) {
                return "home/x/Jobs/VirtualMachines/" + job.id();
            }

            @Override
            public String resolveUCloudPath(String ucloudPath) {
                return "home/x";
            }
        };
        try (OfflineKubernetesAccess cluster = new OfflineKubernetesAccess("ucloud-apps", "test");
             ImHost host = ImHost.assemble(options(), (configuration, dataDirectory) ->
                     new HostRuntime(new InMemoryJobUpdates(), cluster, Optional.of(runtimes), Optional.empty(),
                             FixedNetworkResources.none()))) {
            assertThat(host.injector().getInstance(ProviderFileSystem.class)).isSameAs(runtimes);
        }
    }

    @Test
    void withoutOneTheConfiguredFileSystemIsBound() {
        try (ImHost host = ImHost.assemble(options())) {
            ProviderFileSystem fileSystem = host.injector().getInstance(ProviderFileSystem.class);
            assertThat(fileSystem).isInstanceOf(ConfiguredProviderFileSystem.class);
            assertThat(fileSystem.resolveUCloudPath("/17/Data")).isEqualTo("collections/17/Data");
        }
    }
}
