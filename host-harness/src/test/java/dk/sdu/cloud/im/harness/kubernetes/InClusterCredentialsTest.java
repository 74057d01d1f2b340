package dk.sdu.cloud.im.harness.kubernetes;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InClusterCredentialsTest {
    private static final Map<String, String> POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

    @TempDir
    Path serviceAccount;

    private void mountServiceAccount(String token) throws IOException {
        Files.writeString(serviceAccount.resolve("token"), token);
        Files.writeString(serviceAccount.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void theApiServerCaAndTokenComeFromThePod() throws IOException {
        mountServiceAccount("first-token\n");
        Config config = InClusterCredentials.config(POD, serviceAccount);

        assertThat(config.getMasterUrl()).isEqualTo("https://10.96.0.1:443/");
        assertThat(config.getCaCertFile()).isEqualTo(serviceAccount.resolve("ca.crt").toString());
        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("first-token");
    }

    @Test
    void aRotatedTokenIsReadAgain() throws IOException {
        mountServiceAccount("first-token");
        Config config = InClusterCredentials.config(POD, serviceAccount);
        Files.writeString(serviceAccount.resolve("token"), "rotated-token");

        assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("rotated-token");
    }

    @Test
    void anIpv6ServiceHostIsBracketed() throws IOException {
        mountServiceAccount("t");
        Config config = InClusterCredentials.config(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "6443"),
                serviceAccount);
        assertThat(config.getMasterUrl()).isEqualTo("https://[fd00::1]:6443/");
    }

    @Test
    void outsideAPodItSaysSo() {
        assertThatThrownBy(() -> InClusterCredentials.config(Map.of(), serviceAccount))
                .isInstanceOf(ClusterConnectionException.class)
                .hasMessage("mode in-cluster, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: "
                        + "the IM does not run in a Kubernetes pod (use mode kubeconfig outside a cluster)");
    }

    @Test
    void withoutAMountedTokenItSaysSo() {
        assertThatThrownBy(() -> InClusterCredentials.config(POD, serviceAccount))
                .isInstanceOf(ClusterConnectionException.class)
                .hasMessageContaining(serviceAccount.resolve("token") + " is missing or unreadable")
                .hasMessageContaining("automountServiceAccountToken");
    }
}
