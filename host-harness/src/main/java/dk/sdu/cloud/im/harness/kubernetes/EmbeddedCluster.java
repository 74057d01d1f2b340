package dk.sdu.cloud.im.harness.kubernetes;

/** The embedded simulation ({@code harness.kubernetes.mode: embedded}). */
final class EmbeddedCluster {
    private EmbeddedCluster() {
    }

    static ClusterConnection start(String namespace) {
        // Replaced by the in-process API server and KubeVirt simulator once the simulator module is on main.
        throw new ClusterConnectionException("embedded mode is not available in this build");
    }
}
