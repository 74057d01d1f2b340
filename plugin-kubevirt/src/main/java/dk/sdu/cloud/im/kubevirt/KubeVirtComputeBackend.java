package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.kubevirt.admission.VmNetworking;

import dk.sdu.cloud.im.kubevirt.admission.PrivateNetworkChanges;

import java.util.ArrayList;

import io.fabric8.kubernetes.api.model.HasMetadata;

import dk.sdu.cloud.im.spi.network.PrivateNetwork;

import dk.sdu.cloud.im.kubevirt.manifest.PrivateNetworkObjects;

import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import dk.sdu.cloud.im.kubevirt.admission.VmDiskSize;
import dk.sdu.cloud.im.kubevirt.admission.VmJobAdmission;
import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.agent.AgentBundleInstaller;
import dk.sdu.cloud.im.kubevirt.agent.AgentComponents;
import dk.sdu.cloud.im.kubevirt.agent.AgentEndpoint;
import dk.sdu.cloud.im.kubevirt.agent.AgentEndpointUrl;
import dk.sdu.cloud.im.kubevirt.agent.AgentRoutes;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import dk.sdu.cloud.im.kubevirt.follow.JobEnds;
import dk.sdu.cloud.im.kubevirt.follow.VmFollows;
import dk.sdu.cloud.im.kubevirt.metrics.GuestMetricsFeed;
import dk.sdu.cloud.im.kubevirt.lifecycle.LifecycleComponents;
import dk.sdu.cloud.im.kubevirt.lifecycle.VmJobLifecycle;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.manifest.ManifestRenderer;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobRuntimeInputs;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.kubevirt.shell.KubeVirtSerialConsoles;
import dk.sdu.cloud.im.kubevirt.shell.Shells;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreams;
import dk.sdu.cloud.im.kubevirt.vnc.KubeVirtVncStreams;
import dk.sdu.cloud.im.spi.compute.DynamicParameter;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.compute.VncOutput;
import dk.sdu.cloud.im.spi.compute.VncSession;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.job.ToolDescription;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import dk.sdu.cloud.im.spi.storage.VmDiskStorage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import jakarta.inject.Inject;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static java.util.Objects.requireNonNull;

/**
 * The compute backend of jobs whose application's tool backend is {@code VIRTUAL_MACHINE}: each job is a
 * KubeVirt VirtualMachine with its volumes, cloud-init Secret, NetworkPolicy and Services (see
 * {@link VmJobLifecycle} for what each operation does).
 *
 * <p>Creating it touches nothing (the host creates backends for {@code config check} and {@code render}):
 * {@link #verify}, {@link #renderManifests}, {@link #supportsProduct} and {@link #dynamicParameters} work
 * without a cluster; the job operations need {@link #open()}, which connects, follows the cluster and resumes
 * what an earlier IM left half done. When virtual machines are disabled, {@code open()} does nothing, starts
 * are rejected, a suspend does nothing and a terminate reports the job ended.
 *
 * <p>{@code open()} also copies the installation's agent bundle ({@code agentBundle}) into the provider's
 * {@code ucloud-exe} folder when it is missing or differs ({@link AgentBundleInstaller}), and starts the
 * agent endpoint ({@link AgentEndpoint}) whose routes {@link #webSocketRoutes()} gives the host. Shells
 * ({@link #openShell}) go through the guest's agent (the endpoint's {@link GuestTtys}), else the VM's serial
 * console (see {@link Shells}). Screens ({@link #openVnc}) are KubeVirt's VNC stream of the VM
 * ({@link KubeVirtVncStreams}). A follow stream ({@link #follow}) carries the agent's log lines and the guest's
 * metrics ({@link VmFollows}) until the job ends.
 */
@Extension
public final class KubeVirtComputeBackend implements ComputeBackend {
    private static final Logger log = LoggerFactory.getLogger(KubeVirtComputeBackend.class);
    private final KubeVirtConfig config;
    private final KubernetesAccess kubernetes;
    private final ProviderFileSystem fileSystem;
    private final SshSettings sshSettings;
    private final SshKeyDirectory sshKeys;
    private final JobUpdates updates;
    private final JobEnds jobEnds;
    private final Clock clock;
    private final Installation installation;
    private final NetworkResources networks;
    private final VmJobAdmission admission;
    private final AgentEndpointUrl agentUrl;
    private final VmJobObjectsFactory objectsFactory;
    /** For {@link #renderManifests}, which may run where the endpoint does not listen (the CLI's render). */
    private final VmJobObjectsFactory previewFactory;
    private final ManifestRenderer renderer = new ManifestRenderer();
    private final LifecycleComponents components;
    private final GuestTtys guestTtysOverride;   // null: the agent endpoint's
    private VmJobLifecycle lifecycle;   // guarded by this
    private AgentEndpoint agents;       // guarded by this
    private Shells shells;              // guarded by this; with the lifecycle
    private ScheduledExecutorService shellScheduler;   // guarded by this; with the shells
    private VmFollows follows;          // guarded by this; with the agent endpoint
    private GuestMetricsFeed metricsFeed;   // guarded by this; with the follows
    private KubeVirtVncStreams screens;  // guarded by this; with the lifecycle
    private boolean opened;             // guarded by this

    @Inject
    public KubeVirtComputeBackend(KubeVirtConfig config, VmDiskStorage storage, KubernetesAccess kubernetes,
                                  ProviderFileSystem fileSystem, MachineCatalog catalog, ProviderSettings settings,
                                  SshSettings sshSettings, JobUpdates updates, SshKeyDirectory sshKeys, Clock clock,
                                  Installation installation, NetworkResources networks) {
        this(config, storage, kubernetes, fileSystem, catalog, settings, sshSettings, updates, sshKeys, clock,
                installation, networks, LifecycleComponents.standard(), null);
    }

    /**
     * A backend whose lifecycle is made by the given components (a test's, e.g. with its own disk
     * preparations); the host uses the constructor, PF4J and Guice want only one.
     */
    public static KubeVirtComputeBackend withComponents(KubeVirtConfig config, VmDiskStorage storage,
                                                        KubernetesAccess kubernetes, ProviderFileSystem fileSystem,
                                                        MachineCatalog catalog, ProviderSettings settings,
                                                        SshSettings sshSettings, JobUpdates updates,
                                                        SshKeyDirectory sshKeys, Clock clock,
                                                        Installation installation, NetworkResources networks,
                                                        LifecycleComponents components) {
        return new KubeVirtComputeBackend(config, storage, kubernetes, fileSystem, catalog, settings, sshSettings,
                updates, sshKeys, clock, installation, networks, components, null);
    }

    /**
     * A backend whose lifecycle is made by the given components and whose shells reach guests' agents through
     * {@code guestTtys} (a test's) rather than through its agent endpoint.
     */
    public static KubeVirtComputeBackend withComponents(KubeVirtConfig config, VmDiskStorage storage,
                                                        KubernetesAccess kubernetes, ProviderFileSystem fileSystem,
                                                        MachineCatalog catalog, ProviderSettings settings,
                                                        SshSettings sshSettings, JobUpdates updates,
                                                        SshKeyDirectory sshKeys, Clock clock,
                                                        Installation installation, NetworkResources networks,
                                                        LifecycleComponents components, GuestTtys guestTtys) {
        return new KubeVirtComputeBackend(config, storage, kubernetes, fileSystem, catalog, settings, sshSettings,
                updates, sshKeys, clock, installation, networks, components,
                requireNonNull(guestTtys, "guestTtys is null"));
    }

    private KubeVirtComputeBackend(KubeVirtConfig config, VmDiskStorage storage, KubernetesAccess kubernetes,
                                   ProviderFileSystem fileSystem, MachineCatalog catalog, ProviderSettings settings,
                                   SshSettings sshSettings, JobUpdates updates, SshKeyDirectory sshKeys, Clock clock,
                                   Installation installation, NetworkResources networks,
                                   LifecycleComponents components, GuestTtys guestTtysOverride) {
        this.components = requireNonNull(components, "components is null");
        this.guestTtysOverride = guestTtysOverride;
        this.config = requireNonNull(config, "config is null");
        requireNonNull(storage, "storage is null");
        this.kubernetes = requireNonNull(kubernetes, "kubernetes is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(settings, "settings is null");
        this.sshSettings = requireNonNull(sshSettings, "sshSettings is null");
        // Every update goes through JobEnds, so that a job's follow streams end when it does.
        this.jobEnds = new JobEnds(requireNonNull(updates, "updates is null"));
        this.updates = jobEnds;
        this.sshKeys = requireNonNull(sshKeys, "sshKeys is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.installation = requireNonNull(installation, "installation is null");
        this.networks = requireNonNull(networks, "networks is null");
        this.admission = new VmJobAdmission(config, catalog, settings, sshSettings, fileSystem, this.networks);
        this.agentUrl = new AgentEndpointUrl(config.agentEndpoint());
        this.objectsFactory = new VmJobObjectsFactory(config, storage, kubernetes.namespace(), agentUrl::url);
        this.previewFactory = new VmJobObjectsFactory(config, storage, kubernetes.namespace(), agentUrl::shown);
    }

    @Override
    public String name() {
        return "KubeVirt";
    }

    @Override
    public Set<String> toolBackends() {
        return Set.of(ToolDescription.VIRTUAL_MACHINE);
    }

    @Override
    public void verify(Job job) {
        admission.admit(job);
    }

    @Override
    public void start(Job job) {
        VmJobPlan plan = admission.admit(job);   // rejects before anything else, also before open()
        lifecycle(plan.jobId()).start(job);
    }

    @Override
    public void suspend(Job job) {
        VmJobLifecycle current = lifecycleIfEnabled();
        if (current != null) {
            current.suspend(job);
        }
    }

    @Override
    public void unsuspend(Job job) {
        VmJobPlan plan = admission.admit(job);
        lifecycle(plan.jobId()).unsuspend(job);
    }

    /**
     * Applies the job's resources as they are now (the job lists the new one): a running VM gets its network
     * objects brought up to date at once, a halted or starting one keeps them for its start. A resource the job
     * may not have (a public IP it does not hold, ...) is refused and nothing changes.
     */
    @Override
    public void attachResource(Job job, AppParameterValue resource) {
        requireNonNull(resource, "resource is null");
        VmJobPlan plan = admission.admit(job);
        List<PrivateNetwork> before = new ArrayList<>(plan.networking().privateNetworks());
        before.removeIf(network -> network.id().equals(resource.id()) && isPrivateNetwork(resource));
        lifecycle(plan.jobId()).applyResources(job, plan, restartNotice(before, plan));
    }

    /** {@link #attachResource}: the job no longer lists the resource, and what it made goes. */
    @Override
    public void detachResource(Job job, AppParameterValue resource) {
        requireNonNull(resource, "resource is null");
        VmJobPlan plan = admission.admit(job);
        List<PrivateNetwork> before = new ArrayList<>(plan.networking().privateNetworks());
        if (isPrivateNetwork(resource) && resource.id() != null) {
            networks.privateNetwork(resource.id()).ifPresent(before::add);
        }
        lifecycle(plan.jobId()).applyResources(job, plan, restartNotice(before, plan));
    }

    private static boolean isPrivateNetwork(AppParameterValue resource) {
        return "private_network".equals(resource.type());
    }

    /**
     * What a running VM's user is told when its private networks change: membership is fixed when the VM starts
     * ({@link PrivateNetworkChanges}).
     */
    private static Optional<String> restartNotice(List<PrivateNetwork> before, VmJobPlan plan) {
        VmNetworking running = new VmNetworking(List.of(), List.of(), before);
        return PrivateNetworkChanges.restartNotice(running, plan.networking());
    }

    @Override
    public void terminate(Job job) {
        requireNonNull(job, "job is null");
        VmJobLifecycle current = lifecycleIfEnabled();
        if (current != null) {
            current.terminate(job);
            AgentEndpoint endpoint = agentsIfOpen();
            if (endpoint != null) {
                endpoint.forget(job.id());
            }
            // The lifecycle reports the end when the VM is gone; the followers need not wait for it.
            jobEnds.ended(job.id(), "the job was terminated");
        } else {
            updates.send(job.id(), JobUpdate.state(JobState.SUCCESS, null, clock.millis()));
        }
    }

    @Override
    public boolean supportsProduct(Product product) {
        return requireNonNull(product, "product is null").allowVirtualMachines();
    }

    @Override
    public List<DynamicParameter> dynamicParameters(NameAndVersion application) {
        return List.of(VmDiskSize.dynamicParameter());
    }

    @Override
    public String renderManifests(Job job) {
        VmJobPlan plan = admission.admit(job);
        List<HasMetadata> objects = new ArrayList<>(previewFactory.build(plan,
                VmJobRuntimeInputs.preview(plan, sshKeys.authorizedKeys(plan.jobId()))).all());
        // The objects every member of a private network shares come last: a member's start makes them when
        // they are missing (PrivateNetworkMembership), and they outlive the job.
        PrivateNetworkObjects shared = new PrivateNetworkObjects(kubernetes.namespace());
        for (PrivateNetwork network : plan.networking().privateNetworks()) {
            objects.add(shared.service(network.subdomain()));
            objects.add(shared.policy(network.subdomain(), null));
        }
        return renderer.render(objects);
    }

    @Override
    public synchronized void open() {
        if (opened) {
            throw new IllegalStateException("The KubeVirt backend is open already.");
        }
        opened = true;
        if (config.enabled()) {
            installAgentBundle();
            lifecycle = components.open(new VmJobLifecycle.Services(config, admission, objectsFactory,
                    kubernetes.client(), kubernetes.namespace(), fileSystem, sshSettings, sshKeys, updates, clock));
            agents = components.agents().open(new AgentComponents.Services(kubernetes.client(),
                    kubernetes.namespace(), sshKeys, updates, clock, lifecycle.agentEvents()));
            metricsFeed = components.openMetricsFeed();
            follows = new VmFollows(agents.logs(), metricsFeed, jobEnds);
            shellScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "kubevirt-shell-agent-retry");
                thread.setDaemon(true);
                return thread;
            });
            VmiStreams streams = new VmiStreams(kubernetes.client(), kubernetes.namespace());
            shells = new Shells(guestTtysOverride != null ? guestTtysOverride : agents,
                    new KubeVirtSerialConsoles(streams), shellScheduler,
                    Duration.ofSeconds(config.shellAgentTimeoutSeconds()));
            screens = new KubeVirtVncStreams(streams);
        }
    }

    /** The agent endpoint's control and TTY routes (none when virtual machines are disabled). */
    @Override
    public synchronized List<WebSocketRoute> webSocketRoutes() {
        if (!opened) {
            throw new IllegalStateException("The KubeVirt backend is not open: the host asks for its routes after "
                    + "open().");
        }
        return agents == null ? List.of() : AgentRoutes.of(agentUrl, agents);
    }

    /**
     * A shell in the job's VM (rank 0; a VM job has one machine): through the guest's agent, else the VM's serial
     * console. Rejects a job whose VirtualMachineInstance is not running.
     */
    @Override
    public TerminalSession openShell(Job job, int rank, TerminalSize size, TerminalOutput output) {
        requireNonNull(job, "job is null");
        requireNonNull(size, "size is null");
        requireNonNull(output, "output is null");
        String jobId = job.id() == null ? "" : job.id();
        if (rank != 0) {
            throw new JobRejectedException("A virtual machine job has one machine (rank 0); there is no rank " + rank
                    + ".");
        }
        Shells current = shellsIfEnabled();
        if (current == null) {
            throw new JobRejectedException("Virtual machines are not enabled on this provider.");
        }
        String vmiName = runningVmi(jobId, "to open a shell in");
        return current.open(jobId, vmiName, size, output);
    }

    /**
     * The screen of the job's VM (rank 0), KubeVirt's VNC stream. Rejects a job whose VirtualMachineInstance is
     * not running; a second viewer of the same VM ends the first one's view ({@link KubeVirtVncStreams}).
     */
    @Override
    public VncSession openVnc(Job job, int rank, VncOutput output) {
        requireNonNull(job, "job is null");
        requireNonNull(output, "output is null");
        String jobId = job.id() == null ? "" : job.id();
        if (rank != 0) {
            throw new JobRejectedException("A virtual machine job has one machine (rank 0); there is no rank " + rank
                    + ".");
        }
        KubeVirtVncStreams current = screensIfEnabled();
        if (current == null) {
            throw new JobRejectedException("Virtual machines are not enabled on this provider.");
        }
        return current.open(runningVmi(jobId, "with a screen to show"), output);
    }

    /**
     * The address of the job's VM (rank 0) on the cluster's pod network, the VMI's {@code status.interfaces[0]
     * .ipAddress}, for a public link the host routes itself (embedded mode); one read, with no lock held. Empty
     * while the VMI does not run or has no address yet.
     */
    @Override
    public Optional<InetSocketAddress> webTarget(Job job, int rank, int port) {
        requireNonNull(job, "job is null");
        if (rank != 0) {
            throw new JobRejectedException("A virtual machine job has one machine (rank 0); there is no rank " + rank
                    + ".");
        }
        if (port < 1 || port > 65535) {
            throw new JobRejectedException("Port " + port + " is not a TCP port (1-65535).");
        }
        String jobId = job.id() == null ? "" : job.id();
        if (!VmJobNames.isDnsLabel(jobId)) {
            return Optional.empty();
        }
        GenericKubernetesResource vmi = kubernetes.client().genericKubernetesResources(
                KubeVirtApi.virtualMachineInstances()).inNamespace(kubernetes.namespace())
                .withName(new VmJobNames(jobId).virtualMachine()).get();
        if (vmi == null || !"Running".equals(vmi.get("status", "phase"))) {
            return Optional.empty();
        }
        Object interfaces = vmi.get("status", "interfaces");
        if (!(interfaces instanceof List<?> list) || list.isEmpty() || !(list.get(0) instanceof Map<?, ?> first)
                || !(first.get("ipAddress") instanceof String address) || address.isBlank()) {
            return Optional.empty();
        }
        // An IP literal: no name lookup.
        return Optional.of(new InetSocketAddress(address, port));
    }

    /**
     * The job's VirtualMachineInstance, when it is running; one read, with no lock held.
     *
     * @param purpose what the user wanted, for the refusal ("to open a shell in")
     * @throws JobRejectedException when the job has no running VMI
     */
    private String runningVmi(String jobId, String purpose) {
        if (!VmJobNames.isDnsLabel(jobId)) {
            throw new JobRejectedException("This job has no virtual machine: its id cannot name one.");
        }
        String vmiName = new VmJobNames(jobId).virtualMachine();
        GenericKubernetesResource vmi = kubernetes.client().genericKubernetesResources(
                KubeVirtApi.virtualMachineInstances()).inNamespace(kubernetes.namespace()).withName(vmiName).get();
        Object phase = vmi == null ? null : vmi.get("status", "phase");
        if (!"Running".equals(phase)) {
            throw new JobRejectedException("Job " + jobId + " has no running virtual machine " + purpose
                    + (phase == null ? "." : " (it is " + phase + ")."));
        }
        return vmiName;
    }

    /**
     * Follows a VM job (rank 0; a VM job has one machine): its guest agent's log lines and its guest's metrics,
     * until the job ends. A job whose VM does not run yet is followed all the same (its output comes when its
     * guest does).
     */
    @Override
    public FollowSession follow(Job job, int rank, FollowOutput output) {
        requireNonNull(job, "job is null");
        requireNonNull(output, "output is null");
        if (rank != 0) {
            throw new JobRejectedException("A virtual machine job has one machine (rank 0); there is no rank " + rank
                    + ".");
        }
        VmFollows current = followsIfEnabled();
        if (current == null) {
            throw new JobRejectedException("Virtual machines are not enabled on this provider.");
        }
        VmJobPlan plan = admission.admit(job);
        VmMount work = plan.mounts(VmMount.Kind.UCLOUD).stream()
                .filter(mount -> GuestLayout.WORK.equals(mount.guestPath())).findFirst()
                .orElseThrow(() -> new IllegalStateException("The plan of job " + plan.jobId() + " has no "
                        + GuestLayout.WORK + " mount."));
        return current.follow(plan.jobId(), fileSystem.resolve(work.relativeFolder()), output);
    }

    @Override
    public void close() {
        VmJobLifecycle current;
        AgentEndpoint endpoint;
        Shells openShells;
        KubeVirtVncStreams openScreens;
        ScheduledExecutorService scheduler;
        GuestMetricsFeed feed;
        synchronized (this) {
            current = lifecycle;
            lifecycle = null;
            endpoint = agents;
            agents = null;
            follows = null;
            feed = metricsFeed;
            metricsFeed = null;
            openShells = shells;
            shells = null;
            scheduler = shellScheduler;
            shellScheduler = null;
            openScreens = screens;
            screens = null;
        }
        if (openScreens != null) {
            openScreens.close();
        }
        if (openShells != null) {
            openShells.close();
            scheduler.shutdownNow();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (feed instanceof AutoCloseable closing) {
            try {
                closing.close();
            } catch (Exception e) {
                log.warn("Stopping the guests' metrics feed failed: {}", e.toString());
            }
        }
        if (current != null) {
            current.close();
        }
    }

    /**
     * Terminals through the guests' agents (for {@link #openShell}).
     *
     * @throws IllegalStateException when the backend is not open or virtual machines are disabled
     */
    synchronized GuestTtys guestTtys() {
        if (agents == null) {
            throw new IllegalStateException("The KubeVirt backend is not open, or virtual machines are disabled.");
        }
        return agents;
    }

    private synchronized AgentEndpoint agentsIfOpen() {
        return agents;
    }

    /** Copies the agent bundle into ucloud-exe; without it jobs still start, and their guests wait for it. */
    private void installAgentBundle() {
        Path bundle = installation.resolve(config.agentBundle());
        Path executables = fileSystem.resolve(GuestLayout.EXECUTABLES_FOLDER);
        try {
            if (new AgentBundleInstaller().install(bundle, executables) == AgentBundleInstaller.Outcome.NO_BUNDLE) {
                log.warn("The guest agent bundle is missing: {} has no '{}' (services.compute.virtualMachines."
                        + "agentBundle). Jobs start, but their guests wait for the agent until it is installed and "
                        + "the IM is started again.", bundle, AgentBundleInstaller.LAUNCHER);
            }
        } catch (UncheckedIOException e) {
            log.warn("{} Jobs start, but their guests wait for the agent.", e.getMessage(), e);
        }
    }

    private synchronized VmJobLifecycle lifecycle(String jobId) {
        if (lifecycle == null) {
            throw new IllegalStateException("The KubeVirt backend is not open" + (jobId == null ? "" : " (job " + jobId
                    + ")") + ": the host calls open() before the first job operation.");
        }
        return lifecycle;
    }

    /** The follow streams, or null when VMs are disabled; fails when the backend is not open (or closed). */
    private synchronized VmFollows followsIfEnabled() {
        return lifecycleIfEnabled() == null ? null : follows;
    }

    /** The shells, or null when VMs are disabled; fails when the backend is not open (or closed). */
    private synchronized Shells shellsIfEnabled() {
        return lifecycleIfEnabled() == null ? null : shells;
    }

    /** The screens, or null when VMs are disabled; fails when the backend is not open (or closed). */
    private synchronized KubeVirtVncStreams screensIfEnabled() {
        return lifecycleIfEnabled() == null ? null : screens;
    }

    /** The lifecycle, or null when VMs are disabled; fails when the backend is not open. */
    private synchronized VmJobLifecycle lifecycleIfEnabled() {
        if (!opened) {
            return lifecycle(null);   // throws
        }
        return config.enabled() ? lifecycle(null) : null;
    }
}
