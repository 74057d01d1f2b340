package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;

import static java.util.Objects.requireNonNull;

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode on {@code 127.0.0.1} (a free port, plain
 * HTTP), with KubeVirt's {@code VirtualMachine} (status subresource) and {@code VirtualMachineInstance} (none)
 * and CDI's {@code DataVolume} registered as custom resources, the way virt-operator and cdi-operator
 * register them in a cluster. Clients it hands out use fabric8's JDK HTTP client.
 *
 * <p>It is a simulation: no scheduler, no controllers (see {@link KubeVirtSimulator} for the KubeVirt part),
 * no admission, no schema validation, no garbage collection. What the mock does and does not do is recorded
 * in {@code docs/embedded-kubernetes.md} of this module and checked by its tests.
 *
 * <p>Requests for which a test registered an expectation on {@link #server()} are answered from the
 * expectation; everything else is served from the CRUD store. (The dispatcher is fabric8's mixed one with
 * watches of our own that never hold up the event loop: see {@link EmbeddedDispatcher}.)
 */
public final class EmbeddedKubernetes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKubernetes.class);
    private static final String CRDS = "crds.yaml";
    private static final String CUSTOM_RESOURCE_DEFINITION = "CustomResourceDefinition";

    /**
     * The header that marks a request as the simulation's own (the simulator's): such
     * requests never get an injected fault. Clients from {@link #newSimulationClient()} send it.
     */
    public static final String SIMULATION_HEADER = "X-Im-Embedded-Simulation";

    /**
     * The least time between two writes of the state file: each write rewrites every object, so a busy cluster
     * gets one write per pause (or per twice a write's time, when that is longer), not one per change.
     */
    static final Duration STATE_WRITE_PAUSE = Duration.ofSeconds(1);

    /** The name of the cluster, user and context in a kubeconfig from {@link #writeKubeconfig(Path, String)}. */
    public static final String KUBECONFIG_NAME = "ucloud-im-embedded";

    private final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
    private final Thread requestLogDrain;
    private final ExecutorService watchSenders;
    private final RequestFaultInjector faults;
    private final EmbeddedDispatcher dispatcher;
    // One for the store and every client handed out: each mapper builds its own (de)serializers for every type.
    private final KubernetesSerialization serialization;
    private final Object kubectlLock = new Object();
    private StreamingWatchProxy kubectlEndpoint;        // guarded by kubectlLock; started when first asked for
    private ClusterStateWriter stateWriter;             // set once by start(Path), before the API is handed out
    // Held so that java.util.logging keeps the quieter level: it references loggers weakly.
    private final java.util.logging.Logger mockWebServerLog;

    private EmbeddedKubernetes(KubernetesMockServer server, MockWebServer webServer, ExecutorService watchSenders,
            RequestFaultInjector faults, EmbeddedDispatcher dispatcher, KubernetesSerialization serialization) {
        this.server = server;
        this.serialization = serialization;
        this.dispatcher = dispatcher;
        this.watchSenders = watchSenders;
        this.faults = faults;
        this.mockWebServerLog = java.util.logging.Logger.getLogger(MockWebServer.class.getName());
        this.requestLogDrain = new Thread(() -> drainRequestLog(webServer), "embedded-kubernetes-request-log");
        this.requestLogDrain.setDaemon(true);
    }

    /**
     * Starts a server on a free loopback port and registers the KubeVirt and CDI custom resources. Its objects
     * live in memory only.
     */
    public static EmbeddedKubernetes start() {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        MockWebServer webServer = new MockWebServer();
        // The JDK client probes for an h2c upgrade; plain HTTP/1.1 keeps responses deterministic.
        webServer.setHttp2ClearTextEnabled(false);
        ExecutorService watchSenders = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "embedded-kubernetes-watch-sender");
            thread.setDaemon(true);
            return thread;
        });
        RequestFaultInjector faults = new RequestFaultInjector();
        KubernetesSerialization serialization = new KubernetesSerialization();
        EmbeddedDispatcher dispatcher = new EmbeddedDispatcher(expectations, watchSenders, faults, serialization);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), webServer, expectations, dispatcher, false);
        EmbeddedKubernetes embedded = new EmbeddedKubernetes(server, webServer, watchSenders, faults, dispatcher,
                serialization);
        embedded.mockWebServerLog.setLevel(Level.WARNING);
        server.init(InetAddress.getLoopbackAddress(), 0);
        embedded.requestLogDrain.start();
        try {
            embedded.registerCustomResources();
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
        log.info("Embedded Kubernetes API (a simulation: fabric8 mock server, CRUD mode) at {}", embedded.url());
        return embedded;
    }

    /**
     * Starts a server as {@link #start()} does that keeps its objects in {@code stateFile}: the objects stored
     * there (by an earlier run) are loaded first, as they were (uids, resource versions, statuses), and every
     * change is written back by a thread of its own, the whole file replaced atomically (the format and why a
     * crash loses nothing: {@code docs/embedded-kubernetes.md}). CustomResourceDefinitions are not kept: they
     * come from this jar at each start. Closing writes the last changes.
     */
    public static EmbeddedKubernetes start(Path stateFile) {
        ClusterStateFile file = new ClusterStateFile(requireNonNull(stateFile, "stateFile is null"));
        EmbeddedKubernetes embedded = start();
        try {
            List<ClusterStateFile.StoredObject> objects = file.read().orElse(List.of());
            embedded.dispatcher.load(objects);
            ClusterStateWriter writer = new ClusterStateWriter(file, embedded.dispatcher::snapshot, STATE_WRITE_PAUSE);
            embedded.stateWriter = writer;
            embedded.dispatcher.onChange(writer::changed);
            writer.start();
            writer.changed();
            log.info("Embedded Kubernetes API: {} objects loaded from {}; changes are written there", objects.size(),
                    file.file());
            return embedded;
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
    }

    /**
     * Creates the CRDs of {@value #CRDS} in the store as an operator's POSTs would create them, but handed to
     * the store directly: through a client they cost the start a quarter of a second of CPU (the YAML read
     * into fabric8's typed model, written out again, sent, and the answer read back into it), on the path to
     * serving.
     */
    private void registerCustomResources() {
        try (InputStream crds = EmbeddedKubernetes.class.getResourceAsStream(CRDS)) {
            if (crds == null) {
                throw new IllegalStateException("resource " + CRDS + " is missing from the simulator's jar");
            }
            JsonMapper json = JsonMapper.builder().build();
            List<JsonNode> documents = YAMLMapper.builder().build().readerFor(JsonNode.class)
                    .<JsonNode>readValues(crds).readAll();
            for (JsonNode crd : documents) {
                if (!CUSTOM_RESOURCE_DEFINITION.equals(crd.path("kind").asString())) {
                    throw new IllegalStateException(CRDS + " holds a " + crd.path("kind") + ", not only CRDs");
                }
                withoutNulls(crd);
                dispatcher.create("/apis/" + crd.path("apiVersion").asString() + "/customresourcedefinitions",
                        json.writeValueAsString(crd));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + CRDS, e);
        }
    }

    // A client sends what fabric8's typed model writes, which leaves out fields that are null.
    private static void withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            object.properties().forEach(field -> {
                if (field.getValue().isNull()) {
                    nulls.add(field.getKey());
                }
            });
            object.remove(nulls);
        }
        node.values().forEach(EmbeddedKubernetes::withoutNulls);
    }

    /** The API server's base URL, e.g. {@code http://localhost:40123/}. */
    public String url() {
        return server.url("/");
    }

    /**
     * The API's address for kubectl and other client-go programs ({@code http://127.0.0.1:<port>/}): a proxy
     * that passes requests on to {@link #url()} and serves watches as the HTTP streams client-go reads (the
     * mock serves them as websockets only). Started on the first call, closed with this.
     */
    public String kubectlUrl() {
        synchronized (kubectlLock) {
            if (kubectlEndpoint == null) {
                kubectlEndpoint = StreamingWatchProxy.start(url());
                log.info("Embedded Kubernetes API for kubectl at {}", kubectlEndpoint.url());
            }
            return kubectlEndpoint.url();
        }
    }

    /**
     * Writes a kubeconfig for {@link #kubectlUrl()} to {@code file} (owner read and write only, replaced
     * atomically): one cluster, context and user named {@link #KUBECONFIG_NAME}, no credentials (the embedded
     * API asks for none), the context's namespace {@code namespace}.
     */
    public void writeKubeconfig(Path file, String namespace) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(namespace, "namespace is null");
        String text = "# Written by the UCloud IM for its embedded (simulated) Kubernetes API; rewritten at each start.\n"
                + "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: " + KUBECONFIG_NAME + "\n"
                + "  cluster:\n"
                + "    server: " + kubectlUrl().replaceAll("/$", "") + "\n"
                + "users:\n"
                + "- name: " + KUBECONFIG_NAME + "\n"
                + "  user: {}\n"
                + "contexts:\n"
                + "- name: " + KUBECONFIG_NAME + "\n"
                + "  context:\n"
                + "    cluster: " + KUBECONFIG_NAME + "\n"
                + "    user: " + KUBECONFIG_NAME + "\n"
                + "    namespace: \"" + namespace.replace("\"", "") + "\"\n"
                + "current-context: " + KUBECONFIG_NAME + "\n";
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, ".kubeconfig", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Waits until every change made before this call is in the state file (a no-op for an API started
     * without one).
     *
     * @return whether that happened within the timeout
     */
    public boolean flushState(Duration timeout) throws InterruptedException {
        requireNonNull(timeout, "timeout is null");
        return stateWriter == null || stateWriter.flush(timeout);
    }

    /**
     * The mock server, for expectations that CRUD mode cannot express (a failing request, a subresource,
     * a websocket). An expectation wins over the CRUD store when method and path (with query) match.
     */
    public KubernetesMockServer server() {
        return server;
    }

    /**
     * Serves the serial consoles of the VMIs a simulator boots guests for (one started with
     * {@link GuestSettings}), as virt-api does: a websocket at
     * {@code GET /apis/subresources.kubevirt.io/v1/namespaces/<ns>/virtualmachineinstances/<name>/console}
     * with binary frames both ways; 404 for a VMI that does not exist, 409 for one that does not run. The
     * mock server answers no websocket subprotocol (its list is fixed to the {@code channel.k8s.io} ones), so
     * a client asking for {@code plain.kubevirt.io} gets none back; the JDK's client accepts that. A test's
     * expectation for the same path still wins. Closing the returned handle stops serving them (requests then
     * get the CRUD store's 404).
     *
     * <p>It serves the screens of the simulator's running VMIs too (guests booted or not), at
     * {@code .../virtualmachineinstances/<name>/vnc[?preserveSession=true]}: a raw RFB 3.8 stream in binary
     * frames showing a test screen, one session per VMI (see {@code docs/embedded-kubernetes.md}).
     */
    public AutoCloseable serveConsoles(KubeVirtSimulator simulator) {
        requireNonNull(simulator, "simulator is null");
        dispatcher.serveConsoles(simulator);
        return () -> dispatcher.stopServingConsoles(simulator);
    }

    /** A new client (JDK HTTP client, no request retries, default namespace {@code test}); closed with this. */
    public KubernetesClient newClient() {
        return newClient(builder -> { });
    }

    /**
     * A new client, customised (for example to add an HTTP interceptor such as {@link RequestCounter}); closed
     * with this server.
     */
    public KubernetesClient newClient(Consumer<KubernetesClientBuilder> customizer) {
        requireNonNull(customizer, "customizer is null");
        KubernetesClient client = server.createClient(builder -> {
            builder.withHttpClientFactory(new JdkHttpClientFactory());
            builder.withKubernetesSerialization(serialization);
            // A failed request fails at once: tests and callers see the error instead of a silent retry.
            builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig();
            customizer.accept(builder);
        });
        clients.add(client);
        return client;
    }

    /**
     * A new client for the simulation itself (a {@link KubeVirtSimulator}): like {@link #newClient()}, and its
     * requests carry {@link #SIMULATION_HEADER}, so injected faults never touch them.
     */
    public KubernetesClient newSimulationClient() {
        return newClient(builder -> builder.editOrNewConfig().addToCustomHeaders(SIMULATION_HEADER, "true").endConfig());
    }

    /**
     * Puts a plan of injected request failures in force, from the next request on, replacing the one before
     * ({@link RequestFaults#none()} switches them off). The plan's random sequence starts from its seed and
     * {@link #injectedFaults()} from zero. Requests of {@link #newSimulationClient()} clients never fail.
     */
    public void faults(RequestFaults plan) {
        faults.plan(requireNonNull(plan, "plan is null"));
        log.info("Embedded Kubernetes API: injected request faults {}", plan);
    }

    /**
     * From the next request on, every answer but a watch's (and a websocket's) leaves this long after its
     * request was handled, as a real API server answers only once its store (etcd) has committed: for
     * benchmarks of what a client does while it waits, where this server's own answers would otherwise cost
     * only CPU. The wait holds no thread. {@link Duration#ZERO} (the default) answers at once.
     *
     * @throws IllegalArgumentException when it is negative
     */
    public void latency(Duration latency) {
        dispatcher.latency(latency);
        log.info("Embedded Kubernetes API: answers leave {} ms after their requests", latency.toMillis());
    }

    /** The latency in force ({@link #latency(Duration)}). */
    public Duration latency() {
        return dispatcher.latency();
    }

    /** The plan of injected request failures in force ({@link RequestFaults#none()} by default). */
    public RequestFaults faults() {
        return faults.plan();
    }

    /** Faults injected since the plan in force was set, by kind (kinds with none are absent). */
    public Map<FaultKind, Long> injectedFaults() {
        return faults.injected();
    }

    @Override
    public void close() {
        for (KubernetesClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.debug("closing a client of the embedded API failed", e);
            }
        }
        clients.clear();
        synchronized (kubectlLock) {
            if (kubectlEndpoint != null) {
                kubectlEndpoint.close();
            }
        }
        requestLogDrain.interrupt();
        server.destroy();
        watchSenders.shutdown();
        if (stateWriter != null) {
            stateWriter.close();        // the server is down: this writes the last state
        }
    }

    // The mock web server keeps every request it received for takeRequest(); a long-running embedded API
    // must not, so this thread takes them as they come and lets them go.
    private static void drainRequestLog(MockWebServer webServer) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                webServer.takeRequest();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
