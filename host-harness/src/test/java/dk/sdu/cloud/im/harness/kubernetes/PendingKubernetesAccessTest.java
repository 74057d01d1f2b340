package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugins' view of a cluster connection still being made. */
class PendingKubernetesAccessTest {
    private static final KubernetesClient CLIENT = (KubernetesClient) Proxy.newProxyInstance(
            PendingKubernetesAccessTest.class.getClassLoader(), new Class<?>[]{KubernetesClient.class},
            (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    private final CompletableFuture<KubernetesAccess> connection = new CompletableFuture<>();
    private final PendingKubernetesAccess access = new PendingKubernetesAccess(connection, "ucloud-apps");

    @Test
    void theNamespaceIsThereBeforeTheConnection() {
        assertThat(access.namespace()).isEqualTo("ucloud-apps");
        assertThat(connection).isNotDone();
    }

    @Test
    void theClientIsTheConnectionsOnceMadeAndACallerWaitsForIt() throws Exception {
        CompletableFuture<KubernetesClient> asked = CompletableFuture.supplyAsync(access::client);

        connection.complete(new FixedKubernetesAccess(CLIENT, "ucloud-apps"));

        assertThat(asked.get(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)).isSameAs(CLIENT);
        assertThat(access.client()).isSameAs(CLIENT);
    }

    @Test
    void aFailedConnectionIsThrownAsItsOwnFailure() {
        connection.completeExceptionally(new IllegalStateException("cannot start the embedded Kubernetes API"));

        assertThatThrownBy(access::client).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot start the embedded Kubernetes API");
    }
}
