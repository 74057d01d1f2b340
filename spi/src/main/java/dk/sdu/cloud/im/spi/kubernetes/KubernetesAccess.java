package dk.sdu.cloud.im.spi.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Kubernetes cluster the IM runs jobs on.
 */
public interface KubernetesAccess {

    /** The client, shared by the host and all plugins. Do not close it. */
    KubernetesClient client();

    /** The namespace jobs run in ({@code services.compute.namespace}). */
    String namespace();
}
