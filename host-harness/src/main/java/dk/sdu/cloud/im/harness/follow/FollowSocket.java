package dk.sdu.cloud.im.harness.follow;

import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.harness.sockets.PeerConnection;
import dk.sdu.cloud.im.harness.sockets.UCloudRequestFrame;
import dk.sdu.cloud.im.harness.sockets.PeerHandler;
import dk.sdu.cloud.im.harness.time.DelayTimer;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A job's follow stream in UCloud's shape ({@code /ucloud/jobs.provider.<provider>/websocket}), which Core opens
 * with its bearer token in the upgrade request (checked before the upgrade, as every provider call is).
 *
 * <pre>
 * -> {"call": "jobs.provider.&lt;provider&gt;.follow", "streamId": "1",
 *     "payload": {"type": "init", "job": {"id": "4242", ...}}}
 * &lt;- {"type": "message", "streamId": "1",
 *     "payload": {"streamId": "&lt;session&gt;", "rank": 0, "stdout": "...", "stderr": null, "channel": null}}
 * &lt;- {"ping": "pong"}                                                     (every 30 s)
 * -> {"call": ..., "streamId": "1", "payload": {"type": "cancel", "streamId": "&lt;session&gt;"}}
 * &lt;- {"type": "response", "status": 200, "streamId": "1",
 *     "payload": {"streamId": "&lt;session&gt;", "rank": 0, "stdout": null, "stderr": null, "channel": null}}
 * </pre>
 *
 * The job is the one the IM recorded under the init's {@code job.id} (not the frame's copy of it); each of its
 * machines (ranks) is followed through its backend. The stream ends with the final {@code response} and a close
 * with 1000 when the backend says the job ended, when the user cancels, or at once when the job has ended
 * already. A first frame that is not a valid init (malformed JSON, another call, another type, no job id, a binary
 * frame) gets {@code {"type": "response", "status": 400, "streamId", "payload": {"why"}}} and a close with
 * {@link #PROTOCOL_ERROR}; an unknown job 404 ({@link #NOT_FOUND}); a backend that offers nothing to follow 409
 * ({@link #REFUSED}); a backend that fails 500 (1011). When the user goes, the backend's sessions are closed.
 *
 * <p>A slow reader: the output does not wait for the user, so frames not yet written are counted
 * ({@link PeerConnection#framesInFlight()}); while {@link #MAX_FRAMES_IN_FLIGHT} are, further messages are
 * dropped and counted, and the next message that fits is preceded by a notice on {@code stderr} saying how many
 * were dropped. The IM thus holds at most that many frames per follower, however slowly it reads.
 */
public final class FollowSocket implements PeerHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FollowSocket.class);
    /** The largest frame accepted from the caller (an init carries a whole job). */
    public static final int MAX_FRAME_BYTES = 256 * 1024;
    /** How often the stream sends UCloud's {@code {"ping": "pong"}}. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    /** Frames not yet written to a follower beyond which its messages are dropped. */
    public static final int MAX_FRAMES_IN_FLIGHT = 256;
    /** Close status: a frame that is not part of the protocol. */
    public static final int PROTOCOL_ERROR = 4400;
    /** Close status: the job is not known here. */
    public static final int NOT_FOUND = 4404;
    /** Close status: the job's backend offers nothing to follow. */
    public static final int REFUSED = 4409;
    /** Close status: the backend failed. */
    public static final int SERVER_ERROR = 1011;
    /** Close status: the stream ended (job ended, or cancelled). */
    public static final int NORMAL = 1000;

    private final String call;
    private final FollowTargets targets;
    private final DelayTimer timer;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param providerId the provider's id, part of the call name of the frames
     * @param targets    finds the job a stream asks for
     * @param timer      sends the pings
     */
    public FollowSocket(String providerId, FollowTargets targets, DelayTimer timer) {
        this.call = callOf(requireNonNull(providerId, "providerId is null"));
        this.targets = requireNonNull(targets, "targets is null");
        this.timer = requireNonNull(timer, "timer is null");
    }

    /** The websocket's path for a provider: {@code /ucloud/jobs.provider.<provider>/websocket}. */
    public static String pathOf(String providerId) {
        return "/ucloud/jobs.provider." + providerId + "/websocket";
    }

    /** The call name of the stream's frames: {@code jobs.provider.<provider>.follow}. */
    public static String callOf(String providerId) {
        return "jobs.provider." + providerId + ".follow";
    }

    @Override
    public WebSocketListener open(PeerConnection connection) {
        return new Connection(requireNonNull(connection, "connection is null"));
    }

    private enum Phase { AWAITING_INIT, OPENING, FOLLOWING, ENDED }

    /** One follower. */
    private final class Connection implements WebSocketListener, FollowOutput {
        private final PeerConnection socket;
        private final String sessionId = UUID.randomUUID().toString();
        // Guards the fields and orders the sends; backend sessions are closed outside it (their own locks).
        private final Object lock = new Object();
        private Phase phase = Phase.AWAITING_INIT;
        private String streamId = "";
        private final List<FollowSession> sessions = new ArrayList<>();
        private long dropped;

        Connection(PeerConnection socket) {
            this.socket = socket;
        }

        @Override
        public void onText(String text) {
            Phase now;
            synchronized (lock) {
                now = phase;
            }
            if (now == Phase.ENDED) {
                return;
            }
            UCloudRequestFrame.Read read = UCloudRequestFrame.read(text, call, true);
            if (read.frame().isEmpty()) {
                fail(PROTOCOL_ERROR, 400, read.problem());
                return;
            }
            UCloudRequestFrame frame = read.frame().get();
            JsonNode payload = frame.payload();
            String type = frame.type();
            if (now == Phase.AWAITING_INIT) {
                if (frame.streamId() != null) {
                    synchronized (lock) {
                        streamId = frame.streamId();
                    }
                }
                if (!"init".equals(type)) {
                    fail(PROTOCOL_ERROR, 400, "the first frame must be an init, got '" + type + "'");
                    return;
                }
                init(payload);
                return;
            }
            if ("cancel".equals(type)) {
                finish("cancelled by the follower");
            } else {
                fail(PROTOCOL_ERROR, 400, "unknown payload type '" + type + "' after init (expected cancel)");
            }
        }

        private void init(JsonNode payload) {
            JsonNode id = payload.path("job").path("id");
            if (!payload.path("job").isObject() || !id.isString() || id.asString().isBlank()) {
                fail(PROTOCOL_ERROR, 400, "'payload.job' must be the job, with its 'id'");
                return;
            }
            String jobId = id.asString();
            synchronized (lock) {
                if (phase != Phase.AWAITING_INIT) {
                    return;
                }
                phase = Phase.OPENING;
            }
            FollowTarget target = targets.find(jobId);
            if (target instanceof FollowTarget.Unknown unknown) {
                fail(NOT_FOUND, 404, unknown.why());
            } else if (target instanceof FollowTarget.Ended ended) {
                finish(ended.why());
            } else {
                follow((FollowTarget.Live) target);
            }
        }

        private void follow(FollowTarget.Live live) {
            String jobId = live.job().id();
            List<FollowSession> opened = new ArrayList<>();
            for (int rank = 0; rank < live.machines(); rank++) {
                FollowSession session;
                try {
                    session = live.backend().follow(live.job(), rank, this);
                } catch (JobRejectedException e) {
                    closeAll(opened);
                    fail(REFUSED, 409, "nothing to follow in job " + jobId + ": " + e.getMessage());
                    return;
                } catch (RuntimeException | LinkageError e) {
                    closeAll(opened);
                    PluginFault fault = PluginFault.of(live.backend(), "follow job " + jobId, e);
                    String reference = UUID.randomUUID().toString();
                    LOG.error("{} (error reference {})", fault.detail(), reference, e);
                    fail(SERVER_ERROR, 500, fault.withReference(reference));
                    return;
                }
                if (session == null) {
                    closeAll(opened);
                    fail(SERVER_ERROR, 500, "the backend opened no follow session");
                    return;
                }
                opened.add(session);
            }
            boolean closeAtOnce;
            synchronized (lock) {
                sessions.addAll(opened);
                closeAtOnce = phase == Phase.ENDED;
                if (phase == Phase.OPENING) {
                    phase = Phase.FOLLOWING;
                }
            }
            if (closeAtOnce) {
                // The follower left, or the backend ended it, while the sessions were opening.
                closeAll(opened);
                return;
            }
            timer.after(PING_INTERVAL, this::ping);
            LOG.info("Follow of job {} opened for {}", jobId, socket.remoteAddress());
        }

        private void ping() {
            synchronized (lock) {
                if (phase != Phase.FOLLOWING) {
                    return;
                }
                socket.sendText("{\"ping\":\"pong\"}");
            }
            timer.after(PING_INTERVAL, this::ping);
        }

        @Override
        public void onBinary(ByteBuffer data) {
            fail(PROTOCOL_ERROR, 400, "binary frames are not part of the follow protocol");
        }

        @Override
        public void onClose(int code, String reason) {
            List<FollowSession> toClose;
            synchronized (lock) {
                phase = Phase.ENDED;
                toClose = List.copyOf(sessions);
                sessions.clear();
            }
            closeAll(toClose);
        }

        // FollowOutput: the backend's side.

        @Override
        public void message(FollowMessage message) {
            requireNonNull(message, "message is null");
            synchronized (lock) {
                if (phase != Phase.OPENING && phase != Phase.FOLLOWING) {
                    return;
                }
                if (socket.framesInFlight() >= MAX_FRAMES_IN_FLIGHT) {
                    dropped++;
                    return;
                }
                if (dropped > 0) {
                    socket.sendText(messageFrame(new FollowMessage(message.rank(), null, "[the IM dropped " + dropped
                            + " message" + (dropped == 1 ? "" : "s") + ": they came faster than they were read]",
                            null)));
                    dropped = 0;
                }
                socket.sendText(messageFrame(message));
            }
        }

        @Override
        public void ended(String reason) {
            finish(reason == null ? "the job ended" : reason);
        }

        /** Sends the final response, closes, and closes the backend's sessions. */
        private void finish(String why) {
            List<FollowSession> toClose;
            synchronized (lock) {
                if (phase == Phase.ENDED) {
                    return;
                }
                phase = Phase.ENDED;
                toClose = List.copyOf(sessions);
                sessions.clear();
                ObjectNode frame = json.createObjectNode();
                frame.put("type", "response");
                frame.put("status", 200);
                frame.put("streamId", streamId);
                frame.set("payload", payloadOf(0, null, null, null));
                socket.sendText(json.writeValueAsString(frame));
                socket.close(NORMAL, why);
            }
            closeAll(toClose);
        }

        /** Sends an error frame and closes. */
        private void fail(int code, int status, String why) {
            List<FollowSession> toClose;
            synchronized (lock) {
                if (phase == Phase.ENDED) {
                    return;
                }
                phase = Phase.ENDED;
                toClose = List.copyOf(sessions);
                sessions.clear();
                ObjectNode frame = json.createObjectNode();
                frame.put("type", "response");
                frame.put("status", status);
                frame.put("streamId", streamId);
                frame.putObject("payload").put("why", why);
                socket.sendText(json.writeValueAsString(frame));
                socket.close(code, why);
            }
            closeAll(toClose);
        }

        private String messageFrame(FollowMessage message) {
            ObjectNode frame = json.createObjectNode();
            frame.put("type", "message");
            frame.put("streamId", streamId);
            frame.set("payload", payloadOf(message.rank(), message.stdout(), message.stderr(), message.channel()));
            return json.writeValueAsString(frame);
        }

        private ObjectNode payloadOf(int rank, String stdout, String stderr, String channel) {
            ObjectNode payload = json.createObjectNode();
            payload.put("streamId", sessionId);
            payload.put("rank", rank);
            payload.put("stdout", stdout);
            payload.put("stderr", stderr);
            payload.put("channel", channel);
            return payload;
        }
    }

    private static void closeAll(List<FollowSession> sessions) {
        for (FollowSession session : sessions) {
            try {
                session.close();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Closing a follow session failed", e);
            }
        }
    }
}
