package dk.sdu.cloud.im.harness.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator reads when the start-up check of a cluster fails, per kind of failure. */
class ClusterProbeTest {
    private static final String URL = "https://k8s.example.org:6443/";

    private static String explain(int code, Throwable cause) {
        return ClusterProbe.explain(new KubernetesClientException("listing failed", code, null) {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable getCause() {
                return cause;
            }
        }, URL, "ucloud-apps", "kubeconfig /etc/im/kubeconfig");
    }

    @Test
    void refusedCredentials() {
        assertThat(explain(401, null)).isEqualTo("the Kubernetes API at " + URL
                + " (kubeconfig /etc/im/kubeconfig) did not accept the credentials (HTTP 401); check the token or certificate");
    }

    @Test
    void missingKubeVirt() {
        assertThat(explain(404, null)).endsWith("has no kubevirt.io/v1 VirtualMachines (HTTP 404): is KubeVirt installed?");
    }

    @Test
    void anUnknownHost() {
        assertThat(explain(-1, new UnknownHostException("k8s.example.org")))
                .isEqualTo("cannot reach the Kubernetes API at " + URL + " (kubeconfig /etc/im/kubeconfig): unknown host k8s.example.org");
    }

    @Test
    void anyOtherStatusIsQuoted() {
        assertThat(explain(503, null)).contains("answered HTTP 503 to listing VirtualMachines in namespace 'ucloud-apps'");
    }
}
