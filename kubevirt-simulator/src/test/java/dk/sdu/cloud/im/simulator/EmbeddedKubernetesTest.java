package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedKubernetesTest {

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
