package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.vnc.BitmapFont;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.mockwebserver.http.MockResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The screens of a namespace's running VMIs, served as KubeVirt's {@code vnc} subresource: one VNC session per
 * VMI, as virt-handler keeps it. A new connection takes over (the older one is closed); with
 * {@code preserveSession=true} it is refused with 503 while one is open. A VMI whose
 * {@code spec.domain.devices.autoattachGraphicsDevice} is false has no screen (400); one that does not run is
 * refused with 400, an unknown one with 404. A session ends when its VMI stops, is deleted or replaced.
 */
final class VncDisplays implements AutoCloseable {

    /** How often a session looks at the clock (its screen shows the second). */
    static final Duration CLOCK_POLL = Duration.ofMillis(200);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(VncDisplays.class);

    private final ClusterView cluster;
    private final Clock clock;
    private final BitmapFont font;
    private final Duration clockPoll;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;

    /** The open session of a VMI (by uid: a VMI made again under the same name is another machine). */
    private record Session(String uid, VncConnection connection) {
    }

    /**
     * @param cluster   the simulator's view of the namespace (its caches)
     * @param clock     the time the screens show
     * @param font      the font the screens are drawn with (shared: it never changes)
     * @param clockPoll how often a session looks at the clock
     */
    VncDisplays(ClusterView cluster, Clock clock, BitmapFont font, Duration clockPoll) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.font = requireNonNull(font, "font is null");
        this.clockPoll = requireNonNull(clockPoll, "clockPoll is null");
    }

    /**
     * The answer to a VNC request for a VMI, as virt-api gives it; runs on the server's event loop and only
     * looks (an older session is told to close, which never waits).
     */
    MockResponse open(String name, boolean preserveSession) {
        GenericKubernetesResource vmi = cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name);
        if (vmi == null || closed) {
            return SimulatedGuests.status(404, "NotFound",
                    "virtualmachineinstances.kubevirt.io \"" + name + "\" not found");
        }
        String phase = Generic.string(vmi, "status", "phase");
        if (!"Running".equals(phase) || vmi.getMetadata().getDeletionTimestamp() != null) {
            return SimulatedGuests.status(400, "BadRequest", "Unable to connect to VirtualMachineInstance because phase is "
                    + (vmi.getMetadata().getDeletionTimestamp() != null ? "Terminating" : phase) + " instead of Running");
        }
        if (Boolean.FALSE.equals(Generic.map(vmi, "spec", "domain", "devices").get("autoattachGraphicsDevice"))) {
            return SimulatedGuests.status(400, "BadRequest", "No graphics devices are present.");
        }
        String threadName = "kubevirt-simulator-vnc-" + cluster.namespace() + "-" + name + "-" + connections.incrementAndGet();
        String uid = vmi.getMetadata().getUid();
        VncConnection connection = new VncConnection(name, clock, font, clockPoll, threadName,
                ended -> sessions.remove(name, new Session(uid, ended)));
        Session replaced;
        synchronized (sessions) {       // the check and the take-over are one step; nothing here waits
            Session open = sessions.get(name);
            if (open != null && preserveSession) {
                return SimulatedGuests.status(503, "ServiceUnavailable", "Active VNC connection. Request denied.");
            }
            replaced = sessions.put(name, new Session(uid, connection));
        }
        if (replaced != null) {
            log.info("simulated guest {}: a new VNC connection takes over", name);
            replaced.connection().hangUp("another VNC connection to the virtual machine instance took over");
        }
        return new MockResponse().withWebSocketUpgrade(connection);
    }

    /** A VMI changed or went: a session of a VMI that no longer runs (or is another VMI now) ends. */
    void look(String name) {
        Session session = sessions.get(name);
        if (session == null) {
            return;
        }
        GenericKubernetesResource vmi = cluster.cached(Kinds.VIRTUAL_MACHINE_INSTANCE, name);
        boolean runs = vmi != null && vmi.getMetadata().getDeletionTimestamp() == null
                && "Running".equals(Generic.string(vmi, "status", "phase"))
                && Objects.equals(session.uid(), vmi.getMetadata().getUid());
        if (!runs && sessions.remove(name, session)) {
            session.connection().hangUp("the virtual machine instance stopped");
        }
    }

    /** Whether a VMI has an open VNC session. */
    boolean hasSession(String name) {
        return sessions.containsKey(name);
    }

    /** Ends every session and waits (a while) for their threads. */
    @Override
    public void close() {
        closed = true;
        List<Session> open = List.copyOf(sessions.values());
        sessions.clear();
        open.forEach(session -> session.connection().hangUp("the simulator stopped"));
        try {
            for (Session session : open) {
                if (!session.connection().awaitThreads(STOP_TIMEOUT)) {
                    log.warn("a VNC session's threads did not end within {}", STOP_TIMEOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
