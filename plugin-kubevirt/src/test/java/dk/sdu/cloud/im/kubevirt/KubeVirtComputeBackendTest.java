package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.spi.compute.DynamicParameter;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backend as the host sees it, without a cluster: what works before {@code open()} and what does not. */
class KubeVirtComputeBackendTest {

    /** A cluster connection that must not be used. */
    static final class NoCluster implements KubernetesAccess {
        int clientCalls;

        @Override
        public KubernetesClient client() {
            clientCalls++;
            throw new AssertionError("the backend asked for the cluster");
        }

        @Override
        public String namespace() {
            return "ucloud-apps";
        }
    }

    final ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
    final NoCluster cluster = new NoCluster();
    final RecordingJobUpdates updates = new RecordingJobUpdates();

    KubeVirtComputeBackend backend(KubeVirtConfig config) {
        return new KubeVirtComputeBackend(config, provider.storage(), cluster, provider.fileSystem(), provider.catalog(),
                provider.settings(), provider.ssh(), updates, jobId -> List.of(), Clock.systemUTC(),
                new Installation(Path.of("/nonexistent-installation")), NetworkResources.none());
    }

    @Test
    void isAnExtensionWithOneInjectableConstructor() {
        assertThat(KubeVirtComputeBackend.class.getAnnotation(Extension.class)).isNotNull();
        Constructor<?>[] constructors = KubeVirtComputeBackend.class.getConstructors();
        assertThat(constructors).hasSize(1);
        assertThat(constructors[0].getAnnotation(Inject.class)).isNotNull();
        assertThat(Modifier.isPublic(constructors[0].getModifiers())).isTrue();
        assertThat(Arrays.asList(constructors[0].getParameterTypes())).contains(KubeVirtConfig.class);
    }

    @Test
    void worksWithoutTheClusterUntilOpened() {
        KubeVirtComputeBackend backend = backend(provider.config());
        Job job = ExampleJobs.vmJob();

        backend.verify(job);
        String manifests = backend.renderManifests(job);

        assertThat(manifests).startsWith("---\n").contains("kind: \"VirtualMachine\"", "name: \"vm-4242-0\"",
                "name: \"j-4242-ssh\"", "port: 2000");
        assertThat(backend.name()).isEqualTo("KubeVirt");
        assertThat(backend.toolBackends()).containsExactly("VIRTUAL_MACHINE");
        assertThat(backend.dynamicParameters(new NameAndVersion("debian-vm", "12")))
                .extracting(DynamicParameter::name, DynamicParameter::min, DynamicParameter::max, DynamicParameter::defaultValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("diskSize", 15L, 2000L, 50));
        assertThat(backend.supportsProduct(new Product("u1-standard-4", "u1-standard", "u1-standard", 4, 16, 0, true, true)))
                .isTrue();
        assertThat(backend.supportsProduct(new Product("u1-containers-1", "u1-containers", "u1-containers", 1, 4, 0,
                false, true))).isFalse();
        assertThat(cluster.clientCalls).isZero();
        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not open");
    }

    @Test
    void aRejectedJobIsRejectedBeforeAnythingElse() {
        KubeVirtComputeBackend backend = backend(provider.config());
        Job job = ExampleJobs.vmJob(edit -> edit.parameters.put("diskSize",
                new dk.sdu.cloud.im.spi.job.AppParameterValue("integer", null, null, null, 5, null, null, null, null)));

        assertThatThrownBy(() -> backend.verify(job)).isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("between 15 and 2000 GiB");
        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class);
        assertThatThrownBy(() -> backend.renderManifests(job)).isInstanceOf(JobRejectedException.class);
        assertThat(cluster.clientCalls).isZero();
    }

    @Test
    void withVirtualMachinesDisabledOpenTouchesNothingAndJobsAreRejected() {
        KubeVirtConfig disabled = new KubeVirtConfig(false, false, "vm-golden-images", "ws://ucloud-im:42000/api/vmagent",
                300);
        KubeVirtComputeBackend backend = backend(disabled);
        backend.open();
        Job job = ExampleJobs.vmJob();

        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessage("Virtual machines are not enabled on this provider.");
        backend.suspend(job);
        backend.terminate(job);
        backend.close();

        assertThat(updates.statesOf(job.id())).containsExactly(JobState.SUCCESS);
        assertThat(cluster.clientCalls).isZero();
    }

    @Test
    void aShellNeedsAnOpenBackendWithVirtualMachinesEnabled() {
        Job job = ExampleJobs.vmJob();
        TerminalSize size = new TerminalSize(80, 24);
        TerminalOutput output = new TerminalOutput() {
            @Override
            public void data(String text) {
            }

            @Override
            public void closed(String reason) {
            }
        };
        assertThatThrownBy(() -> backend(provider.config()).openShell(job, 0, size, output))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not open");

        KubeVirtComputeBackend disabled = backend(new KubeVirtConfig(false, false, "vm-golden-images",
                "ws://ucloud-im:42000/api/vmagent", 300));
        disabled.open();
        assertThatThrownBy(() -> disabled.openShell(job, 0, size, output)).isInstanceOf(JobRejectedException.class)
                .hasMessage("Virtual machines are not enabled on this provider.");
        disabled.close();
        assertThat(cluster.clientCalls).isZero();
    }
}
