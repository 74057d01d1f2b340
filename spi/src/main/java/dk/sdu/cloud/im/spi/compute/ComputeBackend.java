package dk.sdu.cloud.im.spi.compute;

import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.job.AppParameterValue;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.NameAndVersion;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import org.pf4j.ExtensionPoint;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the jobs of one or more tool backends (for example {@code VIRTUAL_MACHINE}).
 *
 * <p>The host creates one instance per IM process through its injector, so implementations take their
 * dependencies (host services, their {@link dk.sdu.cloud.im.spi.config.ConfigSection config section})
 * in an {@code @Inject} constructor. The host calls {@link #open()} once before the first job operation
 * and {@link #close()} once on shutdown.
 *
 * <p>Operations on jobs must be idempotent: the host may repeat any call after a failure or a restart.
 * They report progress and state changes through {@link dk.sdu.cloud.im.spi.host.JobUpdates}; they return
 * once the request is accepted, not when the job reaches its new state.
 */
public interface ComputeBackend extends ExtensionPoint, AutoCloseable {

    /** A short name for logs and listings, e.g. {@code KubeVirt}. */
    String name();

    /** The tool backends whose jobs this backend runs, e.g. {@code VIRTUAL_MACHINE}. */
    Set<String> toolBackends();

    /**
     * Checks a job before it is accepted. Must not create anything.
     *
     * @throws JobRejectedException with a message for the user when the job cannot run here
     */
    void verify(Job job);

    /**
     * Starts a job, or carries on starting it. Calls {@link #verify(Job)} first and creates nothing when it
     * rejects the job.
     *
     * @throws JobRejectedException when the job cannot run here
     */
    void start(Job job);

    /** Stops a running job so that it can be started again with {@link #unsuspend(Job)}. */
    void suspend(Job job);

    /** Starts a suspended job again. */
    void unsuspend(Job job);

    /** Ends a job for good and releases what it holds. Terminating an unknown job is not an error. */
    void terminate(Job job);

    /** Whether a product (machine type) can run this backend's jobs. */
    boolean supportsProduct(Product product);

    /** The provider-defined parameters this backend offers for an application, e.g. a disk size. */
    List<DynamicParameter> dynamicParameters(NameAndVersion application);

    /**
     * The cluster objects this backend would create for a job, as text for people (for a Kubernetes
     * backend: a multi-document YAML stream). Touches nothing.
     *
     * @throws JobRejectedException when the job would be rejected
     */
    String renderManifests(Job job);

    /**
     * Opens an interactive shell in one of a job's machines (UCloud's interactive session of type
     * {@code SHELL}). Returns once the shell's connection is being set up: output, and a notice when the
     * backend falls back to another way into the machine, arrive on {@code output}.
     *
     * @param job    the job, as the host recorded it
     * @param rank   the machine of the job, from 0
     * @param size   the user's terminal size at the start
     * @param output where the user's terminal output goes
     * @throws JobRejectedException when the job has no machine to open a shell in, or this backend offers no
     *                              shell (the default)
     */
    default TerminalSession openShell(Job job, int rank, TerminalSize size, TerminalOutput output) {
        throw new JobRejectedException(name() + " offers no interactive shell");
    }

    /**
     * Opens a view of one of a job's machines' screen (UCloud's interactive session of type {@code VNC}): a raw
     * RFB stream. Returns once the connection is being set up; the machine's bytes arrive on {@code output}.
     *
     * @throws JobRejectedException when the job has no machine with a screen to show, or this backend offers no
     *                              screen (the default)
     */
    default VncSession openVnc(Job job, int rank, VncOutput output) {
        throw new JobRejectedException(name() + " offers no VNC screen");
    }

    /**
     * Follows a job's output (UCloud's {@code follow}): log lines and data packets of one machine, from what is
     * recent when it is called, as they come. Returns at once; messages arrive on {@code output} until the job
     * ends ({@link FollowOutput#ended}) or the session is closed.
     *
     * @throws JobRejectedException when this backend offers no output to follow (the default)
     */
    default FollowSession follow(Job job, int rank, FollowOutput output) {
        throw new JobRejectedException(name() + " offers no output to follow");
    }

    /**
     * Applies a resource (a public IP, a public link, a private network) that the user attached to the job
     * while it exists (UCloud's {@code jobs.provider.attachResource}). The job given already lists the resource
     * among its resources. Idempotent: the host calls it again with the same resource when the resource itself
     * changed (e.g. a public IP's firewall), and the backend brings what it made up to date. What cannot be
     * changed on a running job is applied at its next start, and the backend tells the user so in a job
     * update.
     *
     * @throws JobRejectedException when the resource cannot be attached (the message says why); nothing changed
     */
    default void attachResource(Job job, AppParameterValue resource) {
        throw new JobRejectedException(name() + " cannot attach resources to an existing job");
    }

    /**
     * Removes what a resource attached to the job made (the reverse of {@link #attachResource}). The job given
     * no longer lists the resource. Idempotent.
     *
     * @throws JobRejectedException when the resource cannot be detached (the message says why)
     */
    default void detachResource(Job job, AppParameterValue resource) {
        throw new JobRejectedException(name() + " cannot detach resources from an existing job");
    }

    /**
     * Where the host can open a connection to a port of a job's machine, for a public link routed through the
     * host itself (embedded mode) rather than through the cluster's ingress; empty while the machine has no
     * address (not started yet, suspended).
     *
     * @throws JobRejectedException when this backend offers no such address (the default)
     */
    default Optional<InetSocketAddress> webTarget(Job job, int rank, int port) {
        throw new JobRejectedException(name() + " offers no address to route public links to");
    }

    /**
     * The websocket endpoints this backend serves through the host (for example the one its guests' agents
     * dial). The host asks once, after {@link #open()}, and serves them until {@link #close()}.
     */
    default List<WebSocketRoute> webSocketRoutes() {
        return List.of();
    }

    /** Starts background work (watches, resumption of half-done work). Called once by the host. */
    default void open() {
    }

    /** Stops background work. Work in flight is finished or left resumable. */
    @Override
    default void close() {
    }
}
