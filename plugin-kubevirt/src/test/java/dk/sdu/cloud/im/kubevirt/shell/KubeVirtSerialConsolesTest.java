package dk.sdu.cloud.im.kubevirt.shell;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a console is: below the API server's URL, also one with a path prefix (e.g. behind a proxy). */
class KubeVirtSerialConsolesTest {

    static URI consoleOf(String masterUrl) {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(new ConfigBuilder().withMasterUrl(masterUrl).build()).build()) {
            return new KubeVirtSerialConsoles(client, "ucloud-apps").consoleUri("vm-4242-0");
        }
    }

    @Test
    void theConsoleIsKubeVirtsSubresourceOfTheInstance() {
        assertThat(consoleOf("https://api.example.org:6443/")).isEqualTo(URI.create("https://api.example.org:6443"
                + "/apis/subresources.kubevirt.io/v1/namespaces/ucloud-apps/virtualmachineinstances/vm-4242-0/console"));
    }

    @Test
    void aPathPrefixOfTheApiServerIsKept() {
        assertThat(consoleOf("https://rancher.example.org/k8s/clusters/c-1")).isEqualTo(URI.create(
                "https://rancher.example.org/k8s/clusters/c-1/apis/subresources.kubevirt.io/v1/namespaces/"
                        + "ucloud-apps/virtualmachineinstances/vm-4242-0/console"));
    }
}
