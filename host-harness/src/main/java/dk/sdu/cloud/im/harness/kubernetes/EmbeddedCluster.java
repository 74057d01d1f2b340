package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.simulator.GuestSettings;
import dk.sdu.cloud.im.simulator.InstanceEnd;
import dk.sdu.cloud.im.simulator.KubeVirtSimulator;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.util.Objects.requireNonNull;

/**
 * Embedded mode ({@code harness.kubernetes.mode: embedded}): an in-process Kubernetes API (fabric8's mock
 * server in CRUD mode with the KubeVirt and CDI CRDs) and a KubeVirt simulator playing virt-controller, the
 * garbage collector and the volume binder in the jobs' namespace. A simulation: no VM runs. Started with
 * {@link EmbeddedClusterFiles}, the API keeps its objects in the data directory (a restart finds them again, and
 * the simulator carries on from them) and a kubeconfig for kubectl is written there; otherwise its objects live
 * in memory. The plugins get a client of their own; the simulator uses another one.
 *
 * <p>With {@link EmbeddedClusterGuests} each running VMI also gets a simulated guest: a root folder written
 * as cloud-init would, the guest agent run in it as a local process, and a serial console served on the
 * embedded API ({@code .../virtualmachineinstances/<name>/console}). Closing ends every agent and console.
 *
 * <p>The simulator starts (its informers' first lists) on a thread of its own, so that the plugins open their
 * backends on the API meanwhile: {@link #awaitReady()} waits for it, and so do {@link #simulator()} and
 * {@link #close()}. Nothing is lost in between: the simulator's informers list what was written before they
 * started.
 */
public final class EmbeddedCluster implements ClusterConnection {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

    private final EmbeddedKubernetes api;
    private final boolean ownsApi;
    private final CompletableFuture<RunningSimulation> simulation;
    private final KubernetesClient simulatorClient;
    private final KubernetesClient client;
    private final KubernetesAccess access;
    private final Optional<EmbeddedClusterGuests> guests;
    private final Optional<EmbeddedClusterFiles> files;
    private boolean closed;

    private EmbeddedCluster(EmbeddedKubernetes api, boolean ownsApi, String namespace,
                            Optional<EmbeddedClusterGuests> guests, Optional<EmbeddedClusterFiles> files,
                            StartupTrace trace) {
        this.api = api;
        this.ownsApi = ownsApi;
        this.guests = guests;
        this.files = files;
        this.simulatorClient = api.newSimulationClient();   // never gets injected API faults
        this.client = trace.time("embedded: the plugins' client", api::newClient);
        this.access = new FixedKubernetesAccess(client, namespace);
        GuestSettings guestSettings = guests.map(g -> GuestSettings.of(g.rootsFolder(), g.agentLauncher())).orElse(null);
        this.simulation = CompletableFuture.supplyAsync(() -> {
            try (StartupTrace.Span ignored = trace.begin("embedded: KubeVirt simulator (its first lists)")) {
                KubeVirtSimulator started = KubeVirtSimulator.start(simulatorClient, namespace, Clock.systemUTC(),
                        guestSettings);
                return new RunningSimulation(started, api.serveConsoles(started));
            }
        }, task -> {
            Thread thread = new Thread(task, "ucloud-im-simulator-start");
            thread.setDaemon(true);
            thread.start();
        });
        guests.ifPresentOrElse(
                g -> LOG.info("Embedded mode: each running VMI boots a simulated guest in {}/{}/<vmi> running {} "
                        + "--simulated-guest <root> (its log: <root>/var/log/ucloud-vmagent.log); serial consoles "
                        + "on the embedded API", g.rootsFolder(), namespace, g.agentLauncher()),
                () -> LOG.info("Embedded mode: no simulated guests (no agents, no serial consoles)"));
    }

    /** Starts an in-process API server and the simulator on it, without simulated guests; closing stops both. */
    public static EmbeddedCluster start(String namespace) {
        return start(namespace, Optional.empty());
    }

    /**
     * Starts an in-process API server and the simulator on it, with simulated guests when given; closing
     * stops both (and every guest's agent).
     */
    public static EmbeddedCluster start(String namespace, Optional<EmbeddedClusterGuests> guests) {
        return start(namespace, guests, Optional.empty());
    }

    /**
     * Starts an in-process API server and the simulator on it, with simulated guests when given; with
     * {@code files}, the server loads the objects stored there and keeps every change there, and a kubeconfig
     * for it is written (see {@link EmbeddedClusterFiles}). Closing stops both (the last changes are written).
     */
    public static EmbeddedCluster start(String namespace, Optional<EmbeddedClusterGuests> guests,
                                        Optional<EmbeddedClusterFiles> files) {
        return start(namespace, guests, files, StartupTrace.off());
    }

    /** {@link #start(String, Optional, Optional)}, recording its phases in {@code trace}. */
    public static EmbeddedCluster start(String namespace, Optional<EmbeddedClusterGuests> guests,
                                        Optional<EmbeddedClusterFiles> files, StartupTrace trace) {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(trace, "trace is null");
        requireNonNull(guests, "guests is null");
        requireNonNull(files, "files is null");
        EmbeddedKubernetes api;
        try (StartupTrace.Span ignored = trace.begin("embedded: API server (mock server, CRDs, state file)")) {
            api = files.map(f -> EmbeddedKubernetes.start(f.stateFile())).orElseGet(EmbeddedKubernetes::start);
        } catch (RuntimeException e) {
            throw new ClusterConnectionException("cannot start the embedded Kubernetes API: " + e.getMessage(), e);
        }
        try (StartupTrace.Span ignored = trace.begin("embedded: kubeconfig and kubectl's watch relay")) {
            if (files.isPresent()) {
                api.writeKubeconfig(files.get().kubeconfig(), namespace);
            }
        } catch (IOException | RuntimeException e) {
            api.close();
            throw new ClusterConnectionException("cannot write the embedded Kubernetes API's kubeconfig "
                    + files.get().kubeconfig() + ": " + e.getMessage(), e);
        }
        try {
            return new EmbeddedCluster(api, true, namespace, guests, files, trace);
        } catch (RuntimeException e) {
            api.close();
            throw new ClusterConnectionException("cannot connect to the embedded Kubernetes API: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a simulator on an API server that outlives this connection (a test restarting the IM over the
     * same cluster), without simulated guests; closing stops the simulator and this connection's clients, not
     * the server.
     */
    public static EmbeddedCluster attach(EmbeddedKubernetes api, String namespace) {
        return attach(api, namespace, Optional.empty());
    }

    /** {@link #attach(EmbeddedKubernetes, String)} with simulated guests when given. */
    public static EmbeddedCluster attach(EmbeddedKubernetes api, String namespace,
                                         Optional<EmbeddedClusterGuests> guests) {
        return new EmbeddedCluster(requireNonNull(api, "api is null"), false,
                requireNonNull(namespace, "namespace is null"), requireNonNull(guests, "guests is null"),
                Optional.empty(), StartupTrace.off());
    }

    /** The simulator started, and the handle that stops serving its consoles. */
    private record RunningSimulation(KubeVirtSimulator simulator, AutoCloseable consoles) {
    }

    /**
     * The simulator, e.g. to make a start fail; waits for its start.
     *
     * @throws ClusterConnectionException when it could not start
     */
    public KubeVirtSimulator simulator() {
        return running().simulator();
    }

    /** Waits for the simulator's start. */
    @Override
    public void awaitReady() {
        running();
    }

    private RunningSimulation running() {
        try {
            return simulation.join();
        } catch (CompletionException e) {
            throw new ClusterConnectionException("cannot start the KubeVirt simulator: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** The guest of a running VMI shuts itself down, as KubeVirt reports it (the demo's guest power-off). */
    public void powerOffGuest(String vmiName) {
        simulator().end(vmiName, InstanceEnd.POWER_OFF);
    }

    /** The simulated guests' folders and launcher, when guests are booted. */
    public Optional<EmbeddedClusterGuests> guests() {
        return guests;
    }

    /** Where the cluster's objects and kubeconfig are kept, when they are (see {@link EmbeddedClusterFiles}). */
    public Optional<EmbeddedClusterFiles> files() {
        return files;
    }

    @Override
    public Optional<String> kubectlCommand() {
        return files.map(EmbeddedClusterFiles::kubectlCommand);
    }

    @Override
    public KubernetesAccess access() {
        return access;
    }

    @Override
    public String description() {
        return "embedded Kubernetes API at " + api.url() + " with the KubeVirt simulator"
                + (guests.isPresent() ? " and simulated guests" : "")
                + (files.isPresent() ? ", objects kept on disk" : ", objects in memory only");
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
        // Its start is waited for, whatever its outcome: a simulator still starting would use what closes here.
        RunningSimulation running = simulation.handle((started, failure) -> started).join();
        try {
            if (running != null) {
                try {
                    running.consoles().close();
                } catch (Exception e) {
                    LOG.debug("stopping the serial consoles failed", e);
                }
                running.simulator().close();
            }
        } finally {
            client.close();
            simulatorClient.close();
            if (ownsApi) {
                api.close();
            }
        }
    }
}
