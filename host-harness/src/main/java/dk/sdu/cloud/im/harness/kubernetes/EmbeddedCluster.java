package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.KubeVirtSimulator;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;

import static java.util.Objects.requireNonNull;

/**
 * Embedded mode ({@code harness.kubernetes.mode: embedded}): an in-process Kubernetes API (fabric8's mock
 * server in CRUD mode with the KubeVirt and CDI CRDs) and a KubeVirt simulator playing virt-controller, the
 * garbage collector and the volume binder in the jobs' namespace. A simulation: no VM runs, and the API's
 * objects live in memory. The plugins get a client of their own; the simulator uses another one.
 */
public final class EmbeddedCluster implements ClusterConnection {
    private final EmbeddedKubernetes api;
    private final boolean ownsApi;
    private final KubeVirtSimulator simulator;
    private final KubernetesClient simulatorClient;
    private final KubernetesClient client;
    private final KubernetesAccess access;
    private boolean closed;

    private EmbeddedCluster(EmbeddedKubernetes api, boolean ownsApi, String namespace) {
        this.api = api;
        this.ownsApi = ownsApi;
        this.simulatorClient = api.newSimulationClient();   // never gets injected API faults
        KubeVirtSimulator started;
        try {
            started = KubeVirtSimulator.start(simulatorClient, namespace);
        } catch (RuntimeException e) {
            simulatorClient.close();
            throw e;
        }
        this.simulator = started;
        this.client = api.newClient();
        this.access = new FixedKubernetesAccess(client, namespace);
    }

    /** Starts an in-process API server and the simulator on it; closing stops both. */
    public static EmbeddedCluster start(String namespace) {
        requireNonNull(namespace, "namespace is null");
        EmbeddedKubernetes api;
        try {
            api = EmbeddedKubernetes.start();
        } catch (RuntimeException e) {
            throw new ClusterConnectionException("cannot start the embedded Kubernetes API: " + e.getMessage(), e);
        }
        try {
            return new EmbeddedCluster(api, true, namespace);
        } catch (RuntimeException e) {
            api.close();
            throw new ClusterConnectionException("cannot start the KubeVirt simulator: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a simulator on an API server that outlives this connection (a test restarting the IM over the
     * same cluster); closing stops the simulator and this connection's clients, not the server.
     */
    public static EmbeddedCluster attach(EmbeddedKubernetes api, String namespace) {
        return new EmbeddedCluster(requireNonNull(api, "api is null"), false, requireNonNull(namespace, "namespace is null"));
    }

    /** The simulator, e.g. to make a start fail. */
    public KubeVirtSimulator simulator() {
        return simulator;
    }

    @Override
    public KubernetesAccess access() {
        return access;
    }

    @Override
    public String description() {
        return "embedded Kubernetes API at " + api.url() + " with the KubeVirt simulator";
    }

    @Override
    public boolean isSimulation() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            simulator.close();
        } finally {
            client.close();
            simulatorClient.close();
            if (ownsApi) {
                api.close();
            }
        }
    }
}
