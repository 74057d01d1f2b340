package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import static java.util.Objects.requireNonNull;

/**
 * A fabric8 client built on first use from the default configuration (the kubeconfig named by
 * {@code KUBECONFIG} or {@code ~/.kube/config}, or in-cluster credentials), with the JDK HTTP client.
 * Nothing contacts the cluster until the client is used, so commands that only check the configuration
 * never connect. The host closes it.
 */
public final class LazyKubernetesAccess implements KubernetesAccess, AutoCloseable {
    private final String namespace;
    private KubernetesClient client;
    private boolean closed;

    public LazyKubernetesAccess(String namespace) {
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    @Override
    public synchronized KubernetesClient client() {
        if (closed) {
            throw new IllegalStateException("the Kubernetes client is closed: the host is shutting down");
        }
        if (client == null) {
            client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).build();
        }
        return client;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    /** Whether the client has been built (someone asked for it); building it does not contact the cluster. */
    public synchronized boolean isBuilt() {
        return client != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
