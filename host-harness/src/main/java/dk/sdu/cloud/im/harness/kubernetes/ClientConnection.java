package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;

import static java.util.Objects.requireNonNull;

/** A connection that is one fabric8 client to a real cluster; closing closes the client. */
final class ClientConnection implements ClusterConnection {
    private final KubernetesClient client;
    private final String namespace;
    private final String description;
    private final KubernetesAccess access;

    ClientConnection(KubernetesClient client, String namespace, String description) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.description = requireNonNull(description, "description is null");
        this.access = new FixedKubernetesAccess(client, namespace);
    }

    @Override
    public KubernetesAccess access() {
        return access;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return description + ", namespace " + namespace;
    }
}
