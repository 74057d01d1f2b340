package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;

import static java.util.Objects.requireNonNull;

/** The host's Kubernetes access as tests give it to a backend: one client, one namespace. */
public final class TestKubernetesAccess {

    private TestKubernetesAccess() {
    }

    public static KubernetesAccess of(KubernetesClient client, String namespace) {
        requireNonNull(client, "client is null");
        requireNonNull(namespace, "namespace is null");
        return new KubernetesAccess() {
            @Override
            public KubernetesClient client() {
                return client;
            }

            @Override
            public String namespace() {
                return namespace;
            }
        };
    }
}
