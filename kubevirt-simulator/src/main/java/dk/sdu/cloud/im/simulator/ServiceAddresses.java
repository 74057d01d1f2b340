package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The API server's allocation of Service cluster addresses, which a mock API server does not do: a Service
 * without {@code spec.clusterIP} (neither headless, {@code None}, nor {@code ExternalName}) gets the next free
 * address of {@code 10.96.0.0/16} (Kubernetes' default service range), in {@code clusterIP} and
 * {@code clusterIPs}. A real API server assigns it in the create itself; here it follows shortly after.
 */
final class ServiceAddresses {
    /** The first host number handed out (10.96.0.1 is the {@code kubernetes} Service's, .10 DNS's). */
    private static final int FIRST = 16;
    private static final int RANGE = 256 * 256;

    private final ClusterView cluster;
    /** The next host number to try; only used by the simulator's one work thread. */
    private int next = FIRST;

    ServiceAddresses(ClusterView cluster) {
        this.cluster = cluster;
    }

    void assign(String serviceName) {
        GenericKubernetesResource service = cluster.cached(Kinds.SERVICE, serviceName);
        if (service == null || service.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String clusterIp = Generic.string(service, "spec", "clusterIP");
        if ((clusterIp != null && !clusterIp.isEmpty())
                || "ExternalName".equals(Generic.string(service, "spec", "type"))) {
            return;
        }
        Set<String> used = new HashSet<>();
        for (GenericKubernetesResource other : cluster.cachedAll(Kinds.SERVICE)) {
            String address = Generic.string(other, "spec", "clusterIP");
            if (address != null) {
                used.add(address);
            }
        }
        String address = null;
        for (int tries = 0; tries < RANGE && address == null; tries++) {
            String candidate = "10.96." + (next / 256) + "." + (next % 256);
            next = next + 1 >= RANGE ? FIRST : next + 1;
            if (!used.contains(candidate)) {
                address = candidate;
            }
        }
        if (address == null) {
            throw new IllegalStateException("the simulated service range 10.96.0.0/16 is full");
        }
        cluster.set(Kinds.SERVICE, serviceName, "spec/clusterIP", address);
        cluster.set(Kinds.SERVICE, serviceName, "spec/clusterIPs", List.of(address));
    }
}
