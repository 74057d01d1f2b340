package dk.sdu.cloud.im.kubevirt.vnc;

import dk.sdu.cloud.im.kubevirt.testing.TestKubernetesAccess;
import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.lifecycle.LifecycleComponents;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KubeVirtComputeBackend#openVnc} as the host calls it: which jobs have a screen, and where it comes from. */
class KubeVirtComputeBackendVncTest extends EmbeddedClusterTest {
    @TempDir
    Path root;
    final RecordingVncOutput output = new RecordingVncOutput();
    KubeVirtComputeBackend backend;
    Job job;

    @BeforeEach
    void openBackend() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        KubernetesAccess access = TestKubernetesAccess.of(client, namespace);
        backend = KubeVirtComputeBackend.withComponents(provider.config(), provider.storage(), access,
                new TestFileSystem(root), provider.catalog(), provider.settings(), provider.ssh(),
                new RecordingJobUpdates(), jobId -> List.of(), Clock.systemUTC(),
                new Installation(root.resolve("installation")), NetworkResources.none(), LifecycleComponents.standard());
        backend.open();
        job = ExampleJobs.vmJob(edit -> edit.id = unique);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    void createVmi(String phase) {
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setApiVersion("kubevirt.io/v1");
        vmi.setKind("VirtualMachineInstance");
        vmi.setMetadata(new ObjectMetaBuilder().withName("vm-" + unique + "-0").withNamespace(namespace).build());
        vmi.setAdditionalProperty("status", Map.of("phase", phase));
        admin.genericKubernetesResources(VMIS).inNamespace(namespace).resource(vmi).create();
    }

    @Test
    void aRunningVmsScreenIsItsVncSubresource() {
        createVmi("Running");
        embedded.server().expect().get().withPath(KubeVirtApi.vncPath(namespace, "vm-" + unique + "-0"))
                .andUpgradeToWebSocket()
                .open(new WebSocketMessage("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)))
                .expect("never sent").andEmit(new WebSocketMessage(new byte[0])).once()
                .done().once();

        backend.openVnc(job, 0, output);

        await().until(() -> output.text().equals("RFB 003.008\n"));
        backend.close();
        assertThat(output.closed).containsExactly(KubeVirtVncStreams.STOPPING);
    }

    @Test
    void aJobWithoutAVmHasNoScreen() {
        assertThatThrownBy(() -> backend.openVnc(job, 0, output)).isInstanceOf(JobRejectedException.class)
                .hasMessage("Job " + unique + " has no running virtual machine with a screen to show.");
    }

    @Test
    void aVmThatIsNotRunningHasNoScreen() {
        createVmi("Scheduling");

        assertThatThrownBy(() -> backend.openVnc(job, 0, output)).isInstanceOf(JobRejectedException.class)
                .hasMessage("Job " + unique + " has no running virtual machine with a screen to show (it is "
                        + "Scheduling).");
    }

    @Test
    void onlyRankZeroHasAScreen() {
        createVmi("Running");

        assertThatThrownBy(() -> backend.openVnc(job, 1, output)).isInstanceOf(JobRejectedException.class)
                .hasMessage("A virtual machine job has one machine (rank 0); there is no rank 1.");
    }
}
