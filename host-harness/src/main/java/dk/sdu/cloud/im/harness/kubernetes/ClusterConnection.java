package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;

import java.util.Optional;

/**
 * A serving IM's connection to a Kubernetes API: the client and namespace lent to plugins, and what it takes
 * to end it (the client; in embedded mode also the simulator and the in-process API server).
 */
public interface ClusterConnection extends AutoCloseable {

    /** The client and namespace plugins get. */
    KubernetesAccess access();

    /** Where it is connected, for logs, e.g. {@code kubeconfig /etc/im/kubeconfig, context prod, https://10.0.0.1:6443/}. */
    String description();

    /** Whether this is the embedded simulation rather than a real cluster. */
    default boolean isSimulation() {
        return false;
    }

    /**
     * The shell command that shows the jobs' objects with kubectl, when this connection wrote a kubeconfig for
     * it (embedded mode with a data directory).
     */
    default Optional<String> kubectlCommand() {
        return Optional.empty();
    }

    /**
     * Waits until what the connection starts besides the client is running (in embedded mode the KubeVirt
     * simulator, which starts while the plugins open their backends); the IM serves only after this.
     *
     * @throws ClusterConnectionException when that could not start
     */
    default void awaitReady() {
    }

    /** Ends the connection. Idempotent. */
    @Override
    void close();
}
