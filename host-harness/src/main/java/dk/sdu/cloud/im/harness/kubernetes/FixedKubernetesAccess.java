package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;

import static java.util.Objects.requireNonNull;

/** A client that exists already, and the namespace. The client's owner closes it. */
public record FixedKubernetesAccess(KubernetesClient client, String namespace) implements KubernetesAccess {
    public FixedKubernetesAccess {
        requireNonNull(client, "client is null");
        requireNonNull(namespace, "namespace is null");
    }
}
