package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How {@code ucloud-im serve} reaches a Kubernetes API ({@code harness.kubernetes.mode}). */
public enum KubernetesMode {
    /**
     * An in-process Kubernetes API (fabric8's mock server in CRUD mode) with a KubeVirt simulator: a
     * simulation for trying the IM on one machine; no virtual machine really runs, and the cluster's state is
     * lost when the IM stops.
     */
    @JsonProperty("embedded") EMBEDDED,
    /** A cluster named by a kubeconfig file (and optionally one of its contexts). */
    @JsonProperty("kubeconfig") KUBECONFIG,
    /** The cluster the IM runs in, with its pod's service account. */
    @JsonProperty("in-cluster") IN_CLUSTER;

    /** The name used in the configuration file. */
    public String configName() {
        return switch (this) {
            case EMBEDDED -> "embedded";
            case KUBECONFIG -> "kubeconfig";
            case IN_CLUSTER -> "in-cluster";
        };
    }
}
