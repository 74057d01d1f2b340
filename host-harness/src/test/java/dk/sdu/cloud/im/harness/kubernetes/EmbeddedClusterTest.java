package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Embedded mode's simulator starts beside the plugins' use of the API; the IM waits for it before serving. */
class EmbeddedClusterTest {

    private static final String NS = "apps";
    private static final String VMS = "/apis/kubevirt.io/v1/namespaces/" + NS + "/virtualmachines";

    @Test
    void aVmWrittenBeforeTheSimulatorIsReadyIsSimulated() {
        StartupTrace trace = StartupTrace.startingNow();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(NS, Optional.empty(), Optional.empty(), trace)) {
            // The plugins may write at once, whether or not the simulator has listed yet.
            KubernetesClient client = cluster.access().client();
            client.genericKubernetesResources("kubevirt.io/v1", "VirtualMachine").inNamespace(NS).resource(vm("vm-1-0"))
                    .create();
            cluster.awaitReady();

            await().atMost(Duration.ofSeconds(30)).until(() -> client.genericKubernetesResources("kubevirt.io/v1",
                    "VirtualMachineInstance").inNamespace(NS).withName("vm-1-0").get() != null);
            assertThat(trace.phases()).filteredOn(phase -> phase.name().startsWith("embedded: KubeVirt simulator"))
                    .singleElement().extracting(StartupTrace.Phase::thread).isEqualTo("ucloud-im-simulator-start");
        }
    }

    @Test
    void aSimulatorThatCannotStartFailsTheWaitAndCloseStillCloses() {
        try (EmbeddedKubernetes api = EmbeddedKubernetes.start()) {
            api.server().expect().get().withPath(VMS + "?resourceVersion=0")
                    .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"injected\"}").always();
            EmbeddedCluster cluster = EmbeddedCluster.attach(api, NS);

            assertThatThrownBy(cluster::awaitReady).isInstanceOf(ClusterConnectionException.class)
                    .hasMessageStartingWith("cannot start the KubeVirt simulator: ");
            assertThatThrownBy(cluster::simulator).isInstanceOf(ClusterConnectionException.class);
            assertThatCode(cluster::close).doesNotThrowAnyException();
            // Its clients are closed; the API it was attached to is not.
            assertThat(api.newClient().genericKubernetesResources("kubevirt.io/v1", "VirtualMachine").inNamespace(NS)
                    .list().getItems()).isEmpty();
        }
    }

    private static GenericKubernetesResource vm(String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachine")
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("runStrategy", "Always",
                        "template", Map.of("spec", Map.of("domain", Map.of("devices", Map.of()), "volumes", List.of()))))).build();
    }
}
