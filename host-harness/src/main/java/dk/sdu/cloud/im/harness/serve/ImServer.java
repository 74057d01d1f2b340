package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.api.ApiSettings;
import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.api.ProviderApiServer;
import dk.sdu.cloud.im.harness.auth.CallAuthenticator;
import dk.sdu.cloud.im.harness.boot.HostConfiguration;
import dk.sdu.cloud.im.harness.console.ConsoleAssets;
import dk.sdu.cloud.im.harness.console.ConsoleGrants;
import dk.sdu.cloud.im.harness.console.ConsoleJobs;
import dk.sdu.cloud.im.harness.console.ConsoleRoutes;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.boot.HostRuntime;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.harness.auth.CoreKeyException;
import dk.sdu.cloud.im.harness.core.CoreClient;
import dk.sdu.cloud.im.harness.core.CoreSshKeyDirectory;
import dk.sdu.cloud.im.harness.core.CoreSshKeys;
import dk.sdu.cloud.im.harness.core.CoreTransport;
import dk.sdu.cloud.im.harness.core.LocalCore;
import dk.sdu.cloud.im.harness.core.LocalCoreSettings;
import dk.sdu.cloud.im.harness.core.ServerFile;
import dk.sdu.cloud.im.harness.core.ServerFileException;
import dk.sdu.cloud.im.harness.core.outbox.CoreUpdateOutbox;
import dk.sdu.cloud.im.harness.core.outbox.OutboxSettings;
import dk.sdu.cloud.im.harness.drives.CoreProviderFileSystem;
import dk.sdu.cloud.im.harness.settings.FileSystemConfig;
import dk.sdu.cloud.im.harness.store.H2DriveTable;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.harness.services.DirectorySshKeyDirectory;
import dk.sdu.cloud.im.harness.settings.CoreMode;
import dk.sdu.cloud.im.harness.settings.HarnessCoreConfig;
import dk.sdu.cloud.im.harness.settings.HostInfoConfig;
import dk.sdu.cloud.im.harness.settings.ProviderHostsConfig;
import dk.sdu.cloud.im.harness.jobs.JobDriver;
import dk.sdu.cloud.im.harness.jobs.JobDriverSettings;
import dk.sdu.cloud.im.harness.time.ScheduledDelayTimer;
import dk.sdu.cloud.im.harness.api.PrivateNetworkCalls;
import dk.sdu.cloud.im.harness.api.ProviderCall;
import dk.sdu.cloud.im.harness.api.ResourceAttachments;
import dk.sdu.cloud.im.harness.core.CorePublicIpControl;
import dk.sdu.cloud.im.harness.network.StoredNetworkResources;
import dk.sdu.cloud.im.harness.network.privatenet.FilePrivateNetworkStore;
import dk.sdu.cloud.im.harness.publicip.PublicIpCalls;
import dk.sdu.cloud.im.harness.publicip.PublicIpStore;
import dk.sdu.cloud.im.harness.settings.ComputeConfig;
import dk.sdu.cloud.im.harness.settings.PublicIpsConfig;
import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.network.links.LinkBindings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.harness.settings.KubernetesMode;
import dk.sdu.cloud.im.harness.web.LinkProxy;
import dk.sdu.cloud.im.harness.web.StoredLinkRoutes;
import dk.sdu.cloud.im.harness.kubernetes.ClusterConnection;
import dk.sdu.cloud.im.harness.kubernetes.ClusterConnectionException;
import dk.sdu.cloud.im.harness.kubernetes.ClusterConnector;
import dk.sdu.cloud.im.harness.kubernetes.HostFolders;
import dk.sdu.cloud.im.harness.kubernetes.PendingKubernetesAccess;
import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.settings.HarnessServerConfig;
import dk.sdu.cloud.im.harness.sockets.NamedRoute;
import dk.sdu.cloud.im.harness.sockets.RouteListeners;
import dk.sdu.cloud.im.harness.sockets.WebSocketRoutes;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.JobStoreException;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A running IM ({@code ucloud-im serve}): the host assembled with a job store (H2 in the data directory) as
 * its job updates (counted by the metrics), UCloud/Core as {@code harness.core} says (a {@link CoreClient} to the
 * real Core at {@code provider.hosts.ucloud}, or to the harness playing Core, {@link LocalCore}, started first), the
 * plugins' SSH keys and the drives behind UCloud paths looked up through it, the job updates the store records
 * delivered to it ({@link CoreUpdateOutbox}), a cluster connection as {@code harness.kubernetes} says, every
 * compute backend opened, a {@link JobDriver} carrying out the accepted requests (and, at start, those a
 * previous IM left), and the provider API served as {@code harness.server} says, with the interactive shell and the
 * compute backends' websocket routes (those at the API's port on its server, the others on one listener per port
 * at {@code harness.server.routeBindAddress}).
 *
 * <p>{@link #close()} ends it in this order, each step bounded in time and logged: the API server (requests
 * in flight finish), the public links' proxy (embedded mode), the websocket listeners, the job driver (operations under way finish), the compute backends (their informers
 * stop), the metrics, the Core outbox, the job store, the harness's Core (local mode), the cluster connection (in embedded mode also the simulator and the
 * in-process API server), the plugins. A start that fails closes what it had opened, in the same order.
 */
public final class ImServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ImServer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The harness's Core's folder in the data directory (local mode). */
    public static final String LOCAL_CORE = "core";
    /** The job store's file in the data directory (H2 adds {@code .mv.db}). */
    public static final String JOB_STORE = "jobs";

    private final Object lifecycle = new Object();
    private ImHost host;
    private H2JobStore store;
    private PublicLinkStore links;
    private LinkProxy linkProxy;
    private HarnessMetrics metrics;
    private ObservedJobUpdates updates;
    private CoreTransport core;
    private LocalCore localCore;
    private ScheduledDelayTimer outboxTimer;
    private CoreUpdateOutbox outbox;
    /** The private networks Core created here ({@code /ucloud/<id>/private-networks}). */
    private FilePrivateNetworkStore privateNetworks;
    private DirectorySshKeyDirectory localCoreKeys;
    private JobUpdates jobUpdates;
    private ClusterConnection cluster;
    /** The cluster connection while it is being made (set once, by the start). */
    private CompletableFuture<ClusterConnection> connecting;
    private ScheduledDelayTimer retryTimer;
    private JobDriver driver;
    private CallAuthenticator authenticator;
    private ProviderApiServer api;
    private ScheduledDelayTimer shellTimer;
    private RouteListeners routeListeners;
    private URI url;
    private PublicIpStore publicIps;
    private boolean closed;

    private ImServer() {
    }

    /**
     * Starts an IM.
     *
     * @param options   where the configuration and the plugins are
     * @param connector how to reach the cluster ({@code harness.kubernetes} is handed to it)
     * @throws ServeException with the reason when it cannot serve (nothing is left running then)
     * @throws dk.sdu.cloud.im.harness.config.ConfigException        when the configuration has problems
     * @throws dk.sdu.cloud.im.harness.plugins.PluginLoadException    when a plugin cannot be used
     * @throws dk.sdu.cloud.im.harness.boot.HostAssemblyException     when an extension cannot be created
     */
    public static ImServer start(HostOptions options, ClusterConnector connector) {
        return start(options, connector, StartupTrace.off());
    }

    /** {@link #start(HostOptions, ClusterConnector)}, recording its phases in {@code trace}. */
    public static ImServer start(HostOptions options, ClusterConnector connector, StartupTrace trace) {
        requireNonNull(options, "options is null");
        requireNonNull(connector, "connector is null");
        requireNonNull(trace, "trace is null");
        ImServer server = new ImServer();
        try {
            server.startUp(options, connector, trace);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void startUp(HostOptions options, ClusterConnector connector, StartupTrace trace) {
        try {
            host = assembleHost(options, connector, trace);
            trace.run("waiting for the cluster connection", () -> connected(connecting));
        } catch (RuntimeException | Error e) {
            // Whatever failed, a connection under way is waited for, so that close() finds it and closes it.
            if (connecting != null && cluster == null) {
                connecting.handle((connection, failure) -> cluster = connection).join();
            }
            throw e;
        }
        serve(trace);
    }

    /**
     * The host with its runtime. The cluster connection (in embedded mode an in-process API server and the
     * simulator) takes longer than the job store, Core and the plugins' extensions together, and needs none of
     * them: it is made on a thread of its own meanwhile ({@link #connecting}), and the plugins are handed a
     * {@link PendingKubernetesAccess}, whose client they ask for only once opened, after the connection is made.
     */
    private ImHost assembleHost(HostOptions options, ClusterConnector connector, StartupTrace trace) {
        return ImHost.assemble(options, (configuration, dataDirectory) -> {
            // Core's public key is checked before anything is made, unless it is the harness's own Core's (local
            // mode without harness.auth.publicKeyFolder): that Core makes it when it starts.
            boolean keyOfLocalCore = configuration.harness().core().effectiveMode(
                    configuration.harness().kubernetes().mode()) == CoreMode.LOCAL
                    && configuration.harness().auth().publicKeyFolder().isEmpty();
            if (!keyOfLocalCore) {
                authenticator = trace.time("Core's public key", () -> ServeAuthentication.authenticator(
                        configuration.harness(), configuration.file(), configuration.folder(), Clock.systemUTC()));
            }
            createDataDirectory(dataDirectory);
            connecting = connectInBackground(connector, configuration, dataDirectory, trace);
            trace.run("job store (H2)", () -> openStore(dataDirectory));
            privateNetworks = FilePrivateNetworkStore.open(dataDirectory);
            SshKeyDirectory sshKeys = trace.time("Core (local: its HTTP server)",
                    () -> connectCore(configuration, dataDirectory));
            if (keyOfLocalCore) {
                authenticator = ServeAuthentication.authenticator(configuration.harness(), configuration.file(),
                        localCore.folder(), Clock.systemUTC());
            }
            trace.run("metrics (Micrometer)", () -> metrics = new HarnessMetrics(store));
            updates = new ObservedJobUpdates(store);
            trace.run("Core outbox", () -> startOutbox(configuration));
            jobUpdates = metrics.countingUpdates(updates);
            FileSystemConfig fileSystem = configuration.host().services().fileSystem();
            ProviderFileSystem drives = CoreProviderFileSystem.create(configuration.mountPoint(),
                    configuration.trashStagingArea(), core, H2DriveTable.of(store), fileSystem.name(),
                    configuration.providerSettings().providerId(), Clock.systemUTC());
            links = openLinks(dataDirectory);
            publicIps = PublicIpStore.in(dataDirectory);
            PendingKubernetesAccess kubernetes = new PendingKubernetesAccess(
                    connecting.thenApply(ClusterConnection::access), configuration.namespace());
            return new HostRuntime(jobUpdates, kubernetes, Optional.of(drives), Optional.of(sshKeys),
                    new StoredNetworkResources(id -> publicIps.read().publicIp(id), links,
                            privateNetworks));
        }, trace);
    }

    /** Once the host is assembled and connected: opens the backends and serves. */
    private void serve(StartupTrace trace) {
        HostConfiguration configuration = host.configuration();
        try (StartupTrace.Span ignored = trace.begin("compute backends opened")) {
            host.openComputeBackends();
        } catch (RuntimeException e) {
            throw new ServeException(ServeException.ENVIRONMENT, "a compute backend cannot start: " + e.getMessage(), e);
        }
        trace.run("job driver created", () -> createDriver(configuration));
        HarnessServerConfig serverConfig = configuration.harness().server();
        List<NamedRoute> routes;
        try {
            routes = WebSocketRoutes.of(host.computeBackends());
            WebSocketRoutes.checkDistinct(routes);
        } catch (RuntimeException e) {
            throw new ServeException(ServeException.ENVIRONMENT, "the compute backends' websocket routes cannot be "
                    + "served: " + e.getMessage(), e);
        }
        // A route at port 0 asks for a port of its own, even when the API's port is also picked at start.
        List<NamedRoute> onApiPort = routes.stream()
                .filter(r -> r.route().port() != 0 && r.route().port() == serverConfig.port()).toList();
        List<NamedRoute> elsewhere = routes.stream().filter(r -> !onApiPort.contains(r)).toList();
        shellTimer = new ScheduledDelayTimer("shell-timer");
        try (StartupTrace.Span ignored = trace.begin("provider API server created")) {
            ApiSettings apiSettings = new ApiSettings(serverConfig.bindHost(), serverConfig.port(),
                    serverConfig.maxBodyBytes(), ApiSettings.DEFAULT_SHUTDOWN_TIMEOUT);
            // Addresses handed to browsers (a VNC session's) are the IM's public one, as UCloud's IM hands them out.
            Optional<HostInfoConfig> selfPublic = configuration.host().provider().hosts()
                    .map(ProviderHostsConfig::effectiveSelfPublic);
            if (selfPublic.isPresent()) {
                apiSettings = apiSettings.withPublicUrl(selfPublic.get().url());
            }
            api = new ProviderApiServer(apiSettings, authenticator,
                    configuration.providerSettings(), store, host.computeBackends(), configuration.machineCatalog(),
                    metrics, driver, Clock.systemUTC(), Optional.of(shellTimer), onApiPort, List.of(console()),
                    linkSettings(configuration), links, providerCalls(configuration));
        } catch (IllegalArgumentException e) {
            throw new ServeException(ServeException.ENVIRONMENT, "the compute backends' websocket routes cannot be "
                    + "served: " + e.getMessage(), e);
        }
        // Requests must find the cluster as it will be (in embedded mode the simulator running, which started
        // while the backends opened).
        try (StartupTrace.Span ignored = trace.begin("waiting for the cluster connection to be ready")) {
            cluster.awaitReady();
        } catch (ClusterConnectionException e) {
            throw new ServeException(ServeException.ENVIRONMENT, e.getMessage(), e);
        }
        int port;
        try (StartupTrace.Span ignored = trace.begin("provider API server (Javalin) started")) {
            port = api.start();
        } catch (RuntimeException e) {
            throw new ServeException(ServeException.ENVIRONMENT, "cannot listen on " + serverConfig.bindHost() + ":"
                    + serverConfig.port() + ": " + bindProblem(e) + " (harness.server)", e);
        }
        url = ServerUrls.connectable(serverConfig.bindHost(), port);
        try {
            onApiPort.forEach(route -> RouteListeners.tellListening(route, port));
        } catch (IllegalStateException e) {
            throw new ServeException(ServeException.ENVIRONMENT, e.getMessage(), e);
        }
        trace.run("public links' proxy", () -> startLinkProxy(configuration, serverConfig));
        routeListeners = new RouteListeners(serverConfig.routeBindAddress(), elsewhere);
        try (StartupTrace.Span ignored = trace.begin("websocket route listeners")) {
            routeListeners.start();
        } catch (RouteListeners.ListenerException e) {
            throw new ServeException(ServeException.ENVIRONMENT, e.getMessage() + " (harness.server.routeBindAddress, "
                    + "or the backend's configuration that names the port)", e);
        } catch (IllegalStateException e) {
            throw new ServeException(ServeException.ENVIRONMENT, e.getMessage(), e);
        }
        // Once serving is sure: what a previous IM accepted and did not finish is carried on at once.
        driver.start();
        LOG.info("ucloud-im serves provider '{}' on http://{}:{} (provider API /ucloud/{}/jobs, job view /harness/jobs, "
                        + "metrics /metrics); cluster: {}, namespace {}; data: {}; serving after {}",
                configuration.providerSettings().providerId(), serverConfig.bindHost(), port,
                configuration.providerSettings().providerId(), cluster.description(), configuration.namespace(),
                host.dataDirectory(), StartupTrace.processAgeMillis().map(age -> age + " ms")
                        .orElseGet(() -> sinceProcessStart(Clock.systemUTC())));
    }

    /**
     * How long this process has run, as {@code "<n> ms"} (what scripts/bench startup reads from the ready line),
     * or {@code "an unknown time"} where the system does not tell when the process started. From the process's
     * start rather than the JVM's, so that the JVM's own start-up counts too. Where /proc tells the process's age
     * ({@link StartupTrace#processAgeMillis()}) the ready line takes that instead: the JDK's start instant is up to
     * a second off (it adds the boot time in whole seconds).
     */
    static String sinceProcessStart(Clock clock) {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, clock.instant()).toMillis() + " ms")
                .orElse("an unknown time");
    }

    /**
     * Core's calls about network resources and about resources attached to running jobs; a changed public IP is
     * applied again to the jobs that have it.
     */
    private List<ProviderCall> providerCalls(HostConfiguration configuration) {
        ResourceAttachments attachments = new ResourceAttachments(store,
                new ComputeBackends(host.computeBackends()), JSON, Clock.systemUTC());
        PublicIpCalls ips = new PublicIpCalls(publicIps, Optional.ofNullable(configuration.host().services().compute())
                        .map(ComputeConfig::effectivePublicIps).orElse(PublicIpsConfig.DISABLED),
                configuration.providerSettings().providerId(), new CorePublicIpControl(core),
                id -> attachments.resourceChanged(ResourceAttachments.PUBLIC_IP, id), Clock.systemUTC());
        List<ProviderCall> calls = new ArrayList<>(attachments.calls());
        calls.addAll(ips.calls());
        calls.addAll(new PrivateNetworkCalls(configuration.providerSettings().providerId(), privateNetworks).calls());
        return List.copyOf(calls);
    }

    /**
     * In embedded mode no ingress controller routes public links: the IM's own proxy does, on
     * {@code harness.server.linkPort}, when links are offered.
     */
    private void startLinkProxy(HostConfiguration configuration, HarnessServerConfig serverConfig) {
        if (configuration.harness().kubernetes().mode() != KubernetesMode.EMBEDDED
                || !linkSettings(configuration).linksEnabled()) {
            return;
        }
        LinkProxy proxy = new LinkProxy(serverConfig.linkBindAddress(), serverConfig.linkPort(),
                new StoredLinkRoutes(links, new LinkBindings(store, JSON), new ComputeBackends(host.computeBackends())));
        try {
            proxy.start();
        } catch (IOException | RuntimeException e) {
            proxy.close();
            throw new ServeException(ServeException.ENVIRONMENT, "cannot listen on " + serverConfig.linkBindAddress()
                    + ":" + serverConfig.linkPort() + " for public links: " + e.getMessage()
                    + " (harness.server.linkPort, linkBindAddress)", e);
        }
        linkProxy = proxy;
    }

    /** The port of the public links' proxy, when it runs (embedded mode with public links). */
    public Optional<Integer> linkPort() {
        synchronized (lifecycle) {
            return Optional.ofNullable(linkProxy).map(LinkProxy::port);
        }
    }

    /**
     * The ports of the compute backends' websocket routes that are not at the API's port, as bound (a route at port
     * 0 gets one the system picks at each start).
     */
    public List<Integer> routePorts() {
        synchronized (lifecycle) {
            if (routeListeners == null) {
                throw new IllegalStateException("the server is not serving");
            }
            return routeListeners.ports();
        }
    }

    /** The public links Core created, kept in the data directory. */
    private static PublicLinkStore openLinks(Path dataDirectory) {
        try {
            return PublicLinkStore.open(dataDirectory.resolve(PublicLinkStore.FILE_NAME));
        } catch (UncheckedIOException e) {
            throw new ServeException(ServeException.ENVIRONMENT, e.getMessage() + " (harness.dataDirectory)", e);
        }
    }

    private static PublicLinkSettings linkSettings(HostConfiguration configuration) {
        ComputeConfig compute = configuration.host().services().compute();
        return PublicLinkSettings.of(compute.effectiveWeb(), compute.effectivePublicLinks());
    }

    /** The web console's routes (harness.console) on the API's server. */
    private ConsoleRoutes console() {
        return new ConsoleRoutes(new ConsoleGrants(Clock.systemUTC()),
                new ConsoleJobs(store, new ComputeBackends(host.computeBackends()), JSON),
                new ConsoleAssets(ImServer.class.getClassLoader()));
    }

    /**
     * Delivers the job updates the store records to Core, from now on and what an earlier run left pending; on
     * a timer of its own, since a call to Core may take seconds.
     */
    private void startOutbox(HostConfiguration configuration) {
        outboxTimer = new ScheduledDelayTimer("core-outbox");
        outbox = new CoreUpdateOutbox(store, core, outboxTimer, Clock.systemUTC(),
                OutboxSettings.DEFAULTS.withMaxBatch(configuration.harness().core().outbox().maxBatch()));
        updates.addListener(recorded -> outbox.wake());
        updates.addLabelListener(outbox::wake);
        outbox.start();
    }

    /** After the backends are open; it takes the API's requests from the start, and works once started. */
    private void createDriver(HostConfiguration configuration) {
        retryTimer = new ScheduledDelayTimer("job-retry-timer");
        driver = new JobDriver(store, jobUpdates, new ComputeBackends(host.computeBackends()),
                JobDriverSettings.withWorkers(configuration.harness().jobs().workers()), retryTimer, Clock.systemUTC());
    }

    private static void createDataDirectory(Path dataDirectory) {
        try {
            createPrivateDirectory(dataDirectory);
        } catch (IOException e) {
            throw new ServeException(ServeException.ENVIRONMENT, "cannot create the data directory " + dataDirectory
                    + " (harness.dataDirectory): " + e, e);
        }
    }

    private void openStore(Path dataDirectory) {
        try {
            store = H2JobStore.open(dataDirectory.resolve(JOB_STORE), Clock.systemUTC());
        } catch (JobStoreException e) {
            throw new ServeException(ServeException.ENVIRONMENT, e.getMessage()
                    + " (is another ucloud-im serve using the same harness.dataDirectory?)", e);
        }
        LOG.info("Job store: {}.mv.db", dataDirectory.resolve(JOB_STORE));
    }

    /**
     * Reaches Core as {@code harness.core} says; the plugins' SSH keys come through it. In local mode the harness's
     * Core serves the keys of {@code <dataDirectory>/ssh-keys/} and tells the plugins when they change.
     */
    private SshKeyDirectory connectCore(HostConfiguration configuration, Path dataDirectory) {
        HarnessCoreConfig coreConfig = configuration.harness().core();
        CoreMode mode = coreConfig.effectiveMode(configuration.harness().kubernetes().mode());
        if (mode == CoreMode.REMOTE) {
            HostInfoConfig ucloud = configuration.host().provider().hosts().map(ProviderHostsConfig::ucloud)
                    .orElseThrow(() -> new ServeException(ServeException.CONFIGURATION, configuration.file()
                            + ": harness.core.mode is remote (the default unless harness.kubernetes.mode is "
                            + "embedded), so the IM calls UCloud/Core at provider.hosts.ucloud, and the file has no "
                            + "provider.hosts. Add, e.g.:\n"
                            + "  provider:\n"
                            + "    hosts:\n"
                            + "      ucloud: { address: cloud.sdu.dk, port: 443 }\n"
                            + "      self: { address: im.example.org, port: 443 }\n"
                            + "or set harness.core.mode: local to let the harness play Core (nothing reaches a real "
                            + "UCloud then)"));
            ServerFile server;
            try {
                server = ServerFile.read(configuration.folder());
            } catch (ServerFileException e) {
                throw new ServeException(ServeException.CONFIGURATION, e.getMessage(), e);
            }
            CoreClient client = CoreClient.create(ucloud.url(), server);
            core = client;
            LOG.info("UCloud/Core: {} (harness.core.mode remote, provider.hosts.ucloud; refresh token from {})",
                    client.baseUrl(), server.file());
            return new CoreSshKeyDirectory(new CoreSshKeys(client));
        }
        localCoreKeys = new DirectorySshKeyDirectory(dataDirectory.resolve(ImHost.SSH_KEYS));
        try {
            localCore = LocalCore.start(new LocalCoreSettings(configuration.providerSettings().providerId(),
                            dataDirectory.resolve(LOCAL_CORE), coreConfig.bindHost(), coreConfig.port()),
                    Clock.systemUTC(), localCoreKeys, this::storedJob);
        } catch (CoreKeyException | ServerFileException | IllegalStateException e) {
            throw new ServeException(ServeException.ENVIRONMENT, "the harness cannot play UCloud/Core "
                    + "(harness.core.mode local): " + e.getMessage(), e);
        }
        String product = configuration.host().services().fileSystem().name();
        coreConfig.drives().forEach((id, providerGeneratedId) -> localCore.addDrive(id, providerGeneratedId, product));
        CoreClient client = CoreClient.create(localCore.url(), localCore.serverFile());
        core = client;
        LOG.info("UCloud/Core: played by the harness at {} (harness.core.mode {}): nothing reaches a real UCloud; "
                        + "its keys and refresh token are in {}", localCore.url(),
                coreConfig.mode().isPresent() ? "local" : "local, the default in embedded mode", localCore.folder());
        return new CoreSshKeyDirectory(new CoreSshKeys(client), Optional.of(localCoreKeys));
    }

    /** The job as the provider API received it, for the harness's Core. */
    private Optional<JsonNode> storedJob(String jobId) {
        H2JobStore jobs = store;
        return jobs == null ? Optional.empty() : jobs.find(jobId).map(job -> JSON.readTree(job.json()));
    }

    /** Connects to the cluster on a thread of its own ({@code ucloud-im-cluster-connect}), which then ends. */
    private static CompletableFuture<ClusterConnection> connectInBackground(ClusterConnector connector,
                                                                        HostConfiguration configuration,
                                                                        Path dataDirectory, StartupTrace trace) {
        return CompletableFuture.supplyAsync(() -> {
            try (StartupTrace.Span ignored = trace.begin("cluster connection (" + configuration.harness().kubernetes()
                    .mode() + ")")) {
                return connector.connect(configuration.harness().kubernetes(), configuration.folder(),
                        configuration.namespace(), new HostFolders(dataDirectory, configuration.mountPoint()));
            } catch (ClusterConnectionException e) {
                throw new ServeException(ServeException.ENVIRONMENT, e.getMessage(), e);
            }
        }, task -> {
            Thread thread = new Thread(task, "ucloud-im-cluster-connect");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Waits for the connection; its failure is thrown here, as if it had been made on this thread. */
    private void connected(CompletableFuture<ClusterConnection> connecting) {
        try {
            cluster = connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        if (cluster.isSimulation()) {
            SimulationBanner.log(cluster.description(), cluster.kubectlCommand());
        } else {
            LOG.info("Kubernetes: {}", cluster.description());
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default access rules apply
        }
    }

    private static String bindProblem(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                String message = bind.getMessage() == null ? "" : bind.getMessage();
                return message.toLowerCase(java.util.Locale.ROOT).contains("in use")
                        ? "the port is in use (another ucloud-im serve, or another program?)"
                        : message;
            }
        }
        return e.getMessage();
    }

    /** The URL a client on this machine reaches the server at, e.g. {@code http://127.0.0.1:8889}. */
    public URI url() {
        synchronized (lifecycle) {
            if (url == null) {
                throw new IllegalStateException("the server is not serving");
            }
            return url;
        }
    }

    /** The assembled host. */
    public ImHost host() {
        return host;
    }

    /** The job store. */
    public JobStore store() {
        return store;
    }

    /** The job driver: the backends' work behind the provider API's answers. */
    public JobDriver driver() {
        return driver;
    }

    /** UCloud/Core as the IM calls it: the real one, or the harness playing it. */
    public CoreTransport core() {
        return core;
    }

    /** The harness playing Core, in local mode ({@code harness.core.mode}). */
    public Optional<LocalCore> localCore() {
        return Optional.ofNullable(localCore);
    }

    /** The cluster connection. */
    public ClusterConnection cluster() {
        return cluster;
    }

    /** Calls {@code listener} with every job update, once it is recorded, on the sending backend's thread. */
    public void addUpdateListener(Consumer<RecordedUpdate> listener) {
        updates.addListener(listener);
    }

    /** Stops calling {@code listener}. */
    public void removeUpdateListener(Consumer<RecordedUpdate> listener) {
        updates.removeListener(listener);
    }

    /**
     * Shuts down, in order, each step bounded: API server, websocket listeners, shell timer, job driver, compute backends, metrics, job store,
     * the harness's Core (local mode), cluster connection, plugins. Idempotent.
     *
     * @return the steps that failed or ran out of time
     */
    public List<String> shutDown() {
        ShutdownSequence sequence = new ShutdownSequence();
        synchronized (lifecycle) {
            if (closed) {
                return List.of();
            }
            closed = true;
            ProviderApiServer api = this.api;
            RouteListeners routeListeners = this.routeListeners;
            LinkProxy linkProxy = this.linkProxy;
            ScheduledDelayTimer shellTimer = this.shellTimer;
            ImHost host = this.host;
            HarnessMetrics metrics = this.metrics;
            H2JobStore store = this.store;
            ClusterConnection cluster = this.cluster;
            LocalCore localCore = this.localCore;
            DirectorySshKeyDirectory localCoreKeys = this.localCoreKeys;
            JobDriver driver = this.driver;
            ScheduledDelayTimer retryTimer = this.retryTimer;
            CoreUpdateOutbox outbox = this.outbox;
            ScheduledDelayTimer outboxTimer = this.outboxTimer;
            if (api != null) {
                sequence.step("provider API", ApiSettings.DEFAULT_SHUTDOWN_TIMEOUT.plusSeconds(5), api::close);
            }
            if (linkProxy != null) {
                sequence.step("public links' proxy", Duration.ofSeconds(5), linkProxy::close);
            }
            if (routeListeners != null) {
                // Their connections end, and with them the backends' sessions, before the backends close.
                sequence.step("websocket listeners", Duration.ofSeconds(10), routeListeners::close);
            }
            if (shellTimer != null) {
                sequence.step("shell timer", Duration.ofSeconds(1), shellTimer::close);
            }
            if (driver != null) {
                // What it cuts off stays pending in the store and is carried out at the next start.
                sequence.step("job driver", JobDriverSettings.withWorkers(1).shutdownWait().plusSeconds(5), () -> {
                    driver.close();
                    retryTimer.close();
                });
            }
            if (host != null) {
                sequence.step("compute backends", Duration.ofSeconds(30), host::closeComputeBackends);
            }
            if (metrics != null) {
                sequence.step("metrics", Duration.ofSeconds(5), metrics::close);
            }
            if (outboxTimer != null) {
                // After the backends: what they sent last is recorded, and delivered at the next start if not now.
                sequence.step("Core outbox", Duration.ofSeconds(5), () -> {
                    if (outbox != null) {
                        outbox.close();
                    }
                    outboxTimer.close();
                });
            }
            if (store != null) {
                sequence.step("job store", Duration.ofSeconds(10), store::close);
            }
            if (localCore != null || localCoreKeys != null) {
                sequence.step("local Core", Duration.ofSeconds(10), () -> {
                    if (localCore != null) {
                        localCore.close();
                    }
                    if (localCoreKeys != null) {
                        localCoreKeys.close();
                    }
                });
            }
            if (cluster != null) {
                sequence.step(cluster.isSimulation() ? "embedded Kubernetes" : "Kubernetes client",
                        Duration.ofSeconds(15), cluster::close);
            }
            if (host != null) {
                sequence.step("plugins", Duration.ofSeconds(10), host::close);
            }
            url = null;
        }
        LOG.info("ucloud-im is shutting down: {}", String.join(", ", sequence.names()));
        List<String> troubled = sequence.run();
        if (troubled.isEmpty()) {
            LOG.info("ucloud-im stopped");
        } else {
            LOG.warn("ucloud-im stopped; these steps failed or ran out of time: {}", String.join(", ", troubled));
        }
        return troubled;
    }

    @Override
    public void close() {
        shutDown();
    }
}
