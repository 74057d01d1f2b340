package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKubernetesTest {

    /**
     * fabric8's mock can block an event loop when a watch closes while events are on their way to it (see
     * EmbeddedDispatcher); requests on that loop then time out. The race is not certain: with fabric8's own
     * dispatcher this test failed about one run in three on a loaded 2-core machine. A stall lasts about 30 s;
     * the 10 s request timeout catches it while leaving room for a machine busy with other builds (3 s did not).
     */
    @Test
    void stoppingWatchesWhileEventsFlowDoesNotStallTheServer() {
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            KubernetesClient client = embedded.newClient(b -> b.editOrNewConfig().withRequestTimeout(10_000).endConfig());
            for (int round = 0; round < 12; round++) {
                String namespace = "stall-" + round;
                KubeVirtSimulator simulator = KubeVirtSimulator.start(embedded.newClient(), namespace);
                for (int i = 0; i < 9; i++) {
                    if (i == 6) {
                        simulator.close();
                    }
                    client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(namespace)
                            .resource(Fixtures.vm(namespace, "vm-" + i + "-0", "Always")).create();
                }
            }
            assertThat(client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inAnyNamespace().list().getItems())
                    .hasSize(108);
        }
    }

    @Test
    void servesKubeVirtAndCdiResourcesOnLoopbackUntilClosed() {
        KubernetesClient client;
        String url;
        try (EmbeddedKubernetes embedded = EmbeddedKubernetes.start()) {
            url = embedded.url();
            assertThat(URI.create(url).getHost()).isIn("localhost", "127.0.0.1");
            client = embedded.newClient();
            assertThat(client.apiextensions().v1().customResourceDefinitions().list().getItems())
                    .extracting(crd -> crd.getMetadata().getName())
                    .containsExactlyInAnyOrder("virtualmachines.kubevirt.io", "virtualmachineinstances.kubevirt.io",
                            "datavolumes.cdi.kubevirt.io");
            // Discovery answers for the registered groups, which the client's generic API relies on.
            assertThat(client.genericKubernetesResources("cdi.kubevirt.io/v1beta1", "DataVolume").inNamespace("e")
                    .resource(new GenericKubernetesResourceBuilder().withApiVersion("cdi.kubevirt.io/v1beta1")
                            .withKind("DataVolume").withNewMetadata().withName("dv").withNamespace("e").endMetadata()
                            .addToAdditionalProperties("spec", Map.of()).build())
                    .create().getMetadata().getUid()).isNotBlank();
            assertThat(client.getHttpClient().getClass().getName()).contains("jdkhttp");
        }
        assertThatThrownBy(() -> client.configMaps().inNamespace("e").list()).isInstanceOf(RuntimeException.class);
    }
}
