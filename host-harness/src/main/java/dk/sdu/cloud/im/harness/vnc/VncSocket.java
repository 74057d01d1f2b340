package dk.sdu.cloud.im.harness.vnc;

import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.harness.sockets.JavalinWebSockets;
import dk.sdu.cloud.im.harness.sockets.PeerConnection;
import dk.sdu.cloud.im.harness.sockets.PeerHandler;
import dk.sdu.cloud.im.harness.time.DelayTimer;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.compute.VncOutput;
import dk.sdu.cloud.im.spi.compute.VncSession;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * The VNC websocket in UCloud's shape ({@code /ucloud/<provider>/vnc?token=<token>}), opened by the user's viewer
 * (noVNC) without a bearer token: the single-use token from the interactive session's URL ({@link VncSessions}) is
 * its authentication. The RFB stream is relayed unchanged in binary frames both ways between the viewer and the
 * job's backend ({@link dk.sdu.cloud.im.spi.compute.ComputeBackend#openVnc}); the viewer's subprotocol offer
 * ({@code binary}) is answered by the server.
 *
 * <ul>
 *   <li>An unknown, used or expired token closes the connection with {@link #UNAUTHORIZED} (the provider API
 *       answers such an upgrade with 401 before it, when it can tell).</li>
 *   <li>The backend is asked for the screen off the server's thread; what the viewer sends meanwhile waits
 *       (at most {@link #MAX_PENDING_BYTES}).</li>
 *   <li>A backend that refuses (the job has no machine with a screen) closes it with {@link #NO_SCREEN}; one that
 *       fails with {@link #SERVER_ERROR}.</li>
 *   <li>A text frame from the viewer is not part of the stream: {@link #PROTOCOL_ERROR}.</li>
 *   <li>The relay pings the viewer every {@link #PING_INTERVAL}, since KubeVirt sends nothing on a quiet screen
 *       and proxies cut quiet connections.</li>
 *   <li>One viewer per machine: a newer one of the same job and rank ends the older one's connection with
 *       {@link #TAKEN_OVER} (KubeVirt ends the older stream anyway; this way its user learns why).</li>
 *   <li>When either side ends, the other is closed: the backend's end closes the viewer with 1000 and the
 *       backend's reason; the viewer's end closes the backend's session.</li>
 * </ul>
 */
public final class VncSocket implements PeerHandler {
    private static final Logger LOG = LoggerFactory.getLogger(VncSocket.class);
    /** The query parameter carrying the token. */
    public static final String TOKEN_PARAMETER = "token";
    /** The largest frame accepted from the viewer (RFB client messages are small; clipboard text is the most). */
    public static final int MAX_FRAME_BYTES = 256 * 1024;
    /** The most the viewer may send before the backend's screen is open. */
    static final int MAX_PENDING_BYTES = 64 * 1024;
    /** How often the viewer is pinged: as often as the host's other quiet sockets. */
    public static final Duration PING_INTERVAL = JavalinWebSockets.PING_INTERVAL;
    /** Close status: a text frame. */
    public static final int PROTOCOL_ERROR = 4400;
    /** Close status: an unknown, used or expired token. */
    public static final int UNAUTHORIZED = 4401;
    /** Close status: the job's backend refused (the job has no machine with a screen to show). */
    public static final int NO_SCREEN = 4404;
    /** Close status: another viewer opened this machine's screen. */
    public static final int TAKEN_OVER = 4409;
    /** Close status: the backend failed. */
    public static final int SERVER_ERROR = 1011;
    /** The reason an older viewer reads when a newer one took the screen over. */
    public static final String ANOTHER_VIEWER = "another viewer opened this VM's screen";

    private final VncSessions sessions;
    private final DelayTimer timer;
    private final Executor opener;
    private final Map<Screen, Relay> viewers = new ConcurrentHashMap<>();

    /**
     * @param sessions the tokens handed out by the provider API
     * @param timer    paces the pings
     * @param opener   asks backends for screens (which may take a call to the cluster), off the server's threads
     */
    public VncSocket(VncSessions sessions, DelayTimer timer, Executor opener) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.opener = requireNonNull(opener, "opener is null");
    }

    /** The websocket's path for a provider: {@code /ucloud/<provider>/vnc}. */
    public static String pathOf(String providerId) {
        return "/ucloud/" + requireNonNull(providerId, "providerId is null") + "/vnc";
    }

    /** How many viewers are connected (or connecting to their backend) now. */
    public int viewerCount() {
        return viewers.size();
    }

    @Override
    public WebSocketListener open(PeerConnection connection) {
        requireNonNull(connection, "connection is null");
        Optional<VncSessions.Pending> claimed = connection.queryParameter(TOKEN_PARAMETER).flatMap(sessions::claim);
        if (claimed.isEmpty()) {
            connection.close(UNAUTHORIZED, "unknown, used or expired token");
            return Ignored.INSTANCE;
        }
        VncSessions.Pending screen = claimed.get();
        Relay relay = new Relay(connection, screen, new Screen(screen.job().id(), screen.rank()));
        Relay older = viewers.put(relay.screen, relay);
        if (older != null) {
            older.takenOver();
        }
        timer.after(PING_INTERVAL, relay::ping);
        opener.execute(relay::openBackend);
        return relay;
    }

    /** A machine's screen: a job and rank. */
    private record Screen(String jobId, int rank) {
    }

    private enum Phase { OPENING, OPEN, ENDED }

    /** One viewer's connection and its backend session. */
    private final class Relay implements WebSocketListener, VncOutput {
        private final PeerConnection socket;
        private final VncSessions.Pending pending;
        private final Screen screen;
        private final Object lock = new Object();
        private Phase phase = Phase.OPENING;                    // guarded by lock
        private VncSession session;                             // guarded by lock
        private final List<byte[]> early = new ArrayList<>();   // guarded by lock; while opening
        private int earlyBytes;                                 // guarded by lock
        /** The backend ended the screen itself, possibly before {@code openVnc} returned it. */
        private boolean backendEnded;                           // guarded by lock

        Relay(PeerConnection socket, VncSessions.Pending pending, Screen screen) {
            this.socket = socket;
            this.pending = pending;
            this.screen = screen;
        }

        void openBackend() {
            String jobId = screen.jobId();
            VncSession opened;
            try {
                opened = pending.backend().openVnc(pending.job(), screen.rank(), this);
            } catch (JobRejectedException e) {
                end(NO_SCREEN, "no screen in job " + jobId + " (rank " + screen.rank() + "): " + e.getMessage());
                return;
            } catch (RuntimeException | LinkageError e) {
                PluginFault fault = PluginFault.of(pending.backend(), "open the screen of job " + jobId, e);
                String reference = UUID.randomUUID().toString();
                LOG.error("{} (error reference {})", fault.detail(), reference, e);
                end(SERVER_ERROR, fault.withReference(reference));
                return;
            }
            if (opened == null) {
                end(SERVER_ERROR, "the backend opened no screen");
                return;
            }
            List<byte[]> toSend;
            boolean closeOpened;
            synchronized (lock) {
                // A backend may end its screen from inside openVnc (or on its own thread before openVnc
                // returned): then the session is over already and closing it again would be the IM's doing.
                closeOpened = !backendEnded;
                if (phase != Phase.OPENING) {
                    toSend = null;
                } else {
                    phase = Phase.OPEN;
                    session = opened;
                    toSend = List.copyOf(early);
                    early.clear();
                    // Under the lock, so that what the viewer sends next does not overtake it.
                    toSend.forEach(bytes -> opened.send(ByteBuffer.wrap(bytes)));
                }
            }
            if (toSend == null) {
                // The viewer left (or another took over) while the backend was opening, or the backend ended.
                if (closeOpened) {
                    closeQuietly(opened);
                }
                return;
            }
            LOG.info("Screen of job {} (rank {}) opened for {}", jobId, screen.rank(), socket.remoteAddress());
        }

        @Override
        public void onBinary(ByteBuffer data) {
            synchronized (lock) {
                switch (phase) {
                    case OPEN -> {
                        session.send(data);
                        return;
                    }
                    case OPENING -> {
                        earlyBytes += data.remaining();
                        if (earlyBytes <= MAX_PENDING_BYTES) {
                            byte[] bytes = new byte[data.remaining()];
                            data.duplicate().get(bytes);
                            early.add(bytes);
                            return;
                        }
                    }
                    case ENDED -> {
                        return;
                    }
                }
            }
            end(PROTOCOL_ERROR, "the viewer sent more than " + MAX_PENDING_BYTES + " bytes before the screen opened");
        }

        @Override
        public void onText(String text) {
            end(PROTOCOL_ERROR, "text frames are not part of the VNC stream; RFB goes in binary frames");
        }

        @Override
        public void onClose(int code, String reason) {
            VncSession toClose;
            synchronized (lock) {
                toClose = phase == Phase.OPEN ? session : null;
                phase = Phase.ENDED;
                early.clear();
            }
            viewers.remove(screen, this);
            if (toClose != null) {
                closeQuietly(toClose);
            }
        }

        /** Pings while the connection lasts. */
        void ping() {
            synchronized (lock) {
                if (phase == Phase.ENDED) {
                    return;
                }
            }
            if (!socket.isOpen()) {
                return;
            }
            socket.ping();
            timer.after(PING_INTERVAL, this::ping);
        }

        /** A newer viewer of the same machine came. */
        void takenOver() {
            LOG.info("Screen of job {} (rank {}): another viewer took it over from {}", screen.jobId(), screen.rank(),
                    socket.remoteAddress());
            end(TAKEN_OVER, ANOTHER_VIEWER);
        }

        /** Ends the relay from the IM's side: the backend's session and the viewer's connection are closed. */
        private void end(int code, String why) {
            VncSession toClose;
            synchronized (lock) {
                if (phase == Phase.ENDED) {
                    return;
                }
                toClose = phase == Phase.OPEN ? session : null;
                phase = Phase.ENDED;
                early.clear();
            }
            viewers.remove(screen, this);
            if (toClose != null) {
                closeQuietly(toClose);
            }
            socket.close(code, why);
        }

        // VncOutput: the backend's side.

        @Override
        public void data(ByteBuffer data) {
            socket.sendBinary(data);
        }

        @Override
        public void closed(String reason) {
            synchronized (lock) {
                backendEnded = true;
                if (phase == Phase.ENDED) {
                    return;
                }
                phase = Phase.ENDED;
                early.clear();
            }
            viewers.remove(screen, this);
            socket.close(1000, reason == null ? "" : reason);
        }

        private void closeQuietly(VncSession toClose) {
            try {
                toClose.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Closing the screen of job {} failed", screen.jobId(), e);
            }
        }
    }

    /** The listener of a connection that is being refused. */
    private enum Ignored implements WebSocketListener {
        INSTANCE;

        @Override
        public void onText(String text) {
        }

        @Override
        public void onBinary(ByteBuffer data) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    }
}
