package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.util.Objects.requireNonNull;

/**
 * The cluster as the plugins see it while the connection is still being made, so that their extensions can be
 * created meanwhile: the namespace at once, the client once connected ({@link #client()} waits for it). No plugin
 * asks for the client before it is opened, and the host opens it only once connected, so nothing waits in
 * practice. The connection's owner closes the client.
 */
public final class PendingKubernetesAccess implements KubernetesAccess {
    private final CompletableFuture<KubernetesAccess> connection;
    private final String namespace;

    /**
     * @param connection the access once connected; a failed one makes {@link #client()} throw its failure
     * @param namespace  the jobs' namespace
     */
    public PendingKubernetesAccess(CompletableFuture<KubernetesAccess> connection, String namespace) {
        this.connection = requireNonNull(connection, "connection is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /**
     * The client, waiting for the connection if it is not made yet.
     *
     * @throws RuntimeException the connection's failure
     */
    @Override
    public KubernetesClient client() {
        try {
            return connection.join().client();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    @Override
    public String namespace() {
        return namespace;
    }
}
