package dk.sdu.cloud.im.kubevirt.stream;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a VMI's stream is: below the API server's URL, also one with a path prefix (e.g. behind a proxy). */
class VmiStreamsTest {

    static URI uriOf(String masterUrl, String subresource) {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(new ConfigBuilder().withMasterUrl(masterUrl).build()).build()) {
            return new VmiStreams(client, "ucloud-apps").uri("vm-4242-0", subresource);
        }
    }

    @Test
    void theConsoleIsKubeVirtsSubresourceOfTheInstance() {
        assertThat(uriOf("https://api.example.org:6443/", KubeVirtApi.CONSOLE_SUBRESOURCE)).isEqualTo(URI.create(
                "https://api.example.org:6443/apis/subresources.kubevirt.io/v1/namespaces/ucloud-apps/"
                        + "virtualmachineinstances/vm-4242-0/console"));
    }

    @Test
    void theScreenIsTheVncSubresourceOfTheInstance() {
        assertThat(uriOf("https://api.example.org:6443", KubeVirtApi.VNC_SUBRESOURCE)).isEqualTo(URI.create(
                "https://api.example.org:6443/apis/subresources.kubevirt.io/v1/namespaces/ucloud-apps/"
                        + "virtualmachineinstances/vm-4242-0/vnc"));
    }

    @Test
    void aPathPrefixOfTheApiServerIsKept() {
        assertThat(uriOf("https://rancher.example.org/k8s/clusters/c-1", KubeVirtApi.CONSOLE_SUBRESOURCE))
                .isEqualTo(URI.create("https://rancher.example.org/k8s/clusters/c-1/apis/subresources.kubevirt.io/v1/"
                        + "namespaces/ucloud-apps/virtualmachineinstances/vm-4242-0/console"));
    }
}
