package dk.sdu.cloud.im.harness.boot;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import dk.sdu.cloud.im.harness.fs.ConfiguredProviderFileSystem;
import dk.sdu.cloud.im.harness.inject.ExtensionModule;
import dk.sdu.cloud.im.harness.inject.HostModule;
import dk.sdu.cloud.im.harness.inject.HostServices;
import dk.sdu.cloud.im.harness.kubernetes.LazyKubernetesAccess;
import dk.sdu.cloud.im.harness.plugins.ExtensionInfo;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugin;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.harness.plugins.PluginLoader;
import dk.sdu.cloud.im.harness.services.DirectorySshKeyDirectory;
import dk.sdu.cloud.im.harness.services.FileSecretStore;
import dk.sdu.cloud.im.harness.services.InMemoryJobUpdates;
import dk.sdu.cloud.im.harness.settings.BundledPlatformClassesPolicy;
import dk.sdu.cloud.im.harness.settings.HarnessPluginsConfig;
import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * An assembled IM host: plugins loaded and checked (their warnings logged), configuration bound, one
 * injector with the host services, the selected {@link VmDiskStorage} and every {@link ComputeBackend}
 * created through it.
 * Backends are created but not opened, and the cluster is not contacted: whoever serves jobs opens them.
 *
 * <p>The {@link HostRuntime} (job updates, cluster) comes from the caller, or, by default, keeps updates in
 * memory and builds a Kubernetes client from the default kubeconfig only when a plugin asks for it. Closing
 * closes the backends, the default runtime's Kubernetes client (if it was built) and the plugins; a runtime
 * given by the caller stays the caller's to close.
 */
public final class ImHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImHost.class);
    /** The secret store's file in the data directory. */
    public static final String SECRETS = "secrets.json";
    /** The SSH key directory in the data directory. */
    public static final String SSH_KEYS = "ssh-keys";

    private final InstalledPlugins plugins;
    private final HostConfiguration configuration;
    private final Injector injector;
    private final VmDiskStorage vmDiskStorage;
    private final List<ComputeBackend> computeBackends;
    private final Path dataDirectory;
    private final KubernetesAccess kubernetes;
    private final Optional<LazyKubernetesAccess> ownedKubernetes;
    private final DirectorySshKeyDirectory sshKeys;
    private boolean backendsClosed;
    private boolean closed;

    private ImHost(InstalledPlugins plugins, HostConfiguration configuration, Injector injector,
                   VmDiskStorage vmDiskStorage, List<ComputeBackend> computeBackends, Path dataDirectory,
                   KubernetesAccess kubernetes, Optional<LazyKubernetesAccess> ownedKubernetes,
                   DirectorySshKeyDirectory sshKeys) {
        this.plugins = plugins;
        this.configuration = configuration;
        this.injector = injector;
        this.vmDiskStorage = vmDiskStorage;
        this.computeBackends = List.copyOf(computeBackends);
        this.dataDirectory = dataDirectory;
        this.kubernetes = kubernetes;
        this.ownedKubernetes = ownedKubernetes;
        this.sshKeys = sshKeys;
    }

    /**
     * Loads the plugins, then the configuration, then assembles the host with the default runtime: job
     * updates kept in memory, a Kubernetes client built on first use from the default kubeconfig.
     *
     * @throws dk.sdu.cloud.im.harness.plugins.PluginLoadException when a plugin cannot be used
     * @throws dk.sdu.cloud.im.harness.config.ConfigException      when the configuration has problems
     * @throws HostAssemblyException                                when an extension cannot be created
     */
    public static ImHost assemble(HostOptions options) {
        return assemble(options, StartupTrace.off());
    }

    /** {@link #assemble(HostOptions)}, recording its phases in {@code trace}. */
    public static ImHost assemble(HostOptions options, StartupTrace trace) {
        return load(options, Optional.empty(), trace);
    }

    /**
     * Loads the plugins, then the configuration, then asks {@code runtime} for the job updates and the
     * cluster, then assembles the host. When anything fails after {@code runtime} was called, what it made
     * is the caller's to close.
     *
     * @throws dk.sdu.cloud.im.harness.plugins.PluginLoadException when a plugin cannot be used
     * @throws dk.sdu.cloud.im.harness.config.ConfigException      when the configuration has problems
     * @throws HostAssemblyException                                when an extension cannot be created
     */
    public static ImHost assemble(HostOptions options, HostRuntime.Factory runtime) {
        return assemble(options, runtime, StartupTrace.off());
    }

    /** {@link #assemble(HostOptions, HostRuntime.Factory)}, recording its phases in {@code trace}. */
    public static ImHost assemble(HostOptions options, HostRuntime.Factory runtime, StartupTrace trace) {
        return load(options, Optional.of(requireNonNull(runtime, "runtime is null")), trace);
    }

    private static ImHost load(HostOptions options, Optional<HostRuntime.Factory> runtime, StartupTrace trace) {
        requireNonNull(options, "options is null");
        requireNonNull(trace, "trace is null");
        InstalledPlugins plugins = trace.time("plugins loaded (PF4J)",
                () -> PluginLoader.load(options.pluginsDirectory(), HostVersion.current().systemVersion()));
        try {
            HostConfiguration configuration = trace.time("configuration read and bound",
                    () -> new ConfigurationLoader().load(options.configFile(), plugins));
            checkBundledPlatformClasses(plugins, configuration.harness().plugins().bundledPlatformClasses());
            plugins.warnings().forEach(warning -> log.warn("{}", warning));
            return assemble(options, plugins, configuration, runtime, trace);
        } catch (RuntimeException | Error e) {
            plugins.close();
            throw e;
        }
    }

    /**
     * Applies {@code harness.plugins.bundledPlatformClasses}; it can only be read once the plugins are loaded,
     * since the configuration is bound against them.
     *
     * @throws dk.sdu.cloud.im.harness.plugins.PluginLoadException when the policy refuses a plugin
     */
    public static void checkBundledPlatformClasses(InstalledPlugins plugins, BundledPlatformClassesPolicy policy) {
        if (policy == BundledPlatformClassesPolicy.REFUSE) {
            plugins.refuseBundledPlatformClasses(HarnessPluginsConfig.BUNDLED_PLATFORM_CLASSES_PATH + " is "
                    + policy.configName());
        }
    }

    private static ImHost assemble(HostOptions options, InstalledPlugins plugins, HostConfiguration configuration,
                                   Optional<HostRuntime.Factory> runtimeFactory, StartupTrace trace) {
        Path dataDirectory = options.dataDirectoryOverride().orElse(configuration.dataDirectory());
        Optional<LazyKubernetesAccess> ownedKubernetes = Optional.empty();
        HostRuntime runtime;
        if (runtimeFactory.isPresent()) {
            runtime = requireNonNull(runtimeFactory.get().create(configuration, dataDirectory),
                    "the runtime factory returned null");
        } else {
            LazyKubernetesAccess lazy = new LazyKubernetesAccess(configuration.namespace());
            ownedKubernetes = Optional.of(lazy);
            runtime = new HostRuntime(new InMemoryJobUpdates(), lazy);
        }
        try (StartupTrace.Span ignored = trace.begin("injector and extensions (Guice)")) {
            return assemble(plugins, configuration, dataDirectory, runtime, ownedKubernetes);
        } catch (RuntimeException | Error e) {
            ownedKubernetes.ifPresent(LazyKubernetesAccess::close);
            throw e;
        }
    }

    private static ImHost assemble(InstalledPlugins plugins, HostConfiguration configuration, Path dataDirectory,
                                   HostRuntime runtime, Optional<LazyKubernetesAccess> ownedKubernetes) {
        DirectorySshKeyDirectory sshKeys = new DirectorySshKeyDirectory(dataDirectory.resolve(SSH_KEYS));
        HostServices services = new HostServices(
                runtime.fileSystem().orElseGet(() -> new ConfiguredProviderFileSystem(configuration.mountPoint(),
                        configuration.trashStagingArea())),
                configuration.machineCatalog(),
                configuration.providerSettings(),
                configuration.sshSettings(),
                runtime.jobUpdates(),
                runtime.sshKeys().orElse(sshKeys),
                new FileSecretStore(dataDirectory.resolve(SECRETS)),
                Clock.systemUTC(),
                runtime.kubernetes(),
                InstallationHome.current(),
                runtime.networkResources());

        Optional<ExtensionInfo> selectedStorage = configuration.virtualMachinesEnabled()
                ? configuration.storage()
                : Optional.empty();
        Injector injector;
        try {
            injector = Guice.createInjector(Stage.DEVELOPMENT,
                    new HostModule(services),
                    new ExtensionModule(
                            configuration.sections(),
                            selectedStorage.map(e -> e.extensionClass().asSubclass(VmDiskStorage.class)),
                            "virtual machines are disabled (services.compute.virtualMachines.enabled is not true)",
                            configuration.computeBackends().stream().<Class<?>>map(ExtensionInfo::extensionClass).toList(),
                            plugins.extensionFactory()));
        } catch (CreationException e) {
            throw new HostAssemblyException("cannot wire the host: " + describe(e.getErrorMessages()), e);
        }
        plugins.extensionFactory().attach(injector);

        VmDiskStorage storage = create(plugins, selectedStorage, () -> injector.getInstance(VmDiskStorage.class));
        List<ComputeBackend> backends = new ArrayList<>();
        for (ExtensionInfo backend : configuration.computeBackends()) {
            backends.add(create(plugins, Optional.of(backend),
                    () -> (ComputeBackend) plugins.extensionFactory().create(backend.extensionClass())));
        }
        return new ImHost(plugins, configuration, injector, storage, backends, dataDirectory, runtime.kubernetes(),
                ownedKubernetes, sshKeys);
    }

    private static <T> T create(InstalledPlugins plugins, Optional<ExtensionInfo> extension, Supplier<T> creation) {
        try {
            return creation.get();
        } catch (ProvisionException | ConfigurationException e) {
            Collection<Message> messages = e instanceof ProvisionException p ? p.getErrorMessages()
                    : ((ConfigurationException) e).getErrorMessages();
            String what = extension.map(x -> {
                InstalledPlugin plugin = plugins.pluginOf(x);
                return "extension " + x.className() + " of plugin '" + plugin.id() + "' (" + plugin.jar().getFileName() + ")";
            }).orElse("a host service");
            throw new HostAssemblyException("cannot create " + what + ": " + describe(messages), e);
        }
    }

    private static String describe(Collection<Message> messages) {
        return messages.stream().map(m -> m.getCause() != null && m.getCause().getMessage() != null
                        ? m.getMessage() + " (" + m.getCause().getMessage() + ")"
                        : m.getMessage())
                .collect(Collectors.joining("; "));
    }

    /** The plugins. */
    public InstalledPlugins plugins() {
        return plugins;
    }

    /** The bound configuration. */
    public HostConfiguration configuration() {
        return configuration;
    }

    /** The injector with the host services and the plugins' sections. */
    public Injector injector() {
        return injector;
    }

    /** The selected VM disk storage, or one that refuses when VMs are disabled. */
    public VmDiskStorage vmDiskStorage() {
        return vmDiskStorage;
    }

    /** Every installed compute backend, created and not yet opened. */
    public List<ComputeBackend> computeBackends() {
        return computeBackends;
    }

    /** The cluster the plugins see. */
    public KubernetesAccess kubernetes() {
        return kubernetes;
    }

    /** Where the host keeps its state: {@code secrets.json}, {@code ssh-keys/} (and a serving IM's job store). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Opens every compute backend ({@link ComputeBackend#open()}), in order.
     *
     * @throws IllegalStateException at the first failure (an exception or a {@code LinkageError} of the
     *                               backend), naming its plugin ({@link PluginFault#detail()}), with the failure as cause
     */
    public void openComputeBackends() {
        for (ComputeBackend backend : computeBackends) {
            log.info("Opening compute backend {} ({})", backend.name(), backend.getClass().getName());
            try {
                backend.open();
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException(PluginFault.of(backend, "open", e).detail(), e);
            }
        }
    }

    /**
     * Closes every compute backend (each failure is logged, the others are still closed). Idempotent; also
     * done by {@link #close()}.
     */
    public synchronized void closeComputeBackends() {
        if (backendsClosed) {
            return;
        }
        backendsClosed = true;
        for (ComputeBackend backend : computeBackends) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                log.warn("compute backend {} did not close cleanly", backend.getClass().getName(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeComputeBackends();
        // Watches the plugins did not close themselves end with the host.
        sshKeys.close();
        ownedKubernetes.ifPresent(LazyKubernetesAccess::close);
        plugins.close();
    }
}
