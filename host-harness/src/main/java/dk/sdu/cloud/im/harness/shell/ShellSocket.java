package dk.sdu.cloud.im.harness.shell;

import dk.sdu.cloud.im.harness.sockets.UCloudRequestFrame;
import dk.sdu.cloud.im.harness.time.DelayTimer;
import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The shell websocket in UCloud's shape ({@code /ucloud/<provider>/websocket}), opened by the user's browser
 * without a bearer token: the single-use session identifier of its first frame is its authentication.
 *
 * <pre>
 * -> {"call": "jobs.compute.&lt;provider&gt;.shell.open", "streamId": "0",
 *     "payload": {"type": "initialize", "sessionIdentifier": "...", "cols": 80, "rows": 24}}
 * &lt;- {"type": "message", "streamId": "0", "payload": {"type": "initialize"}}
 * &lt;- {"type": "message", "streamId": "0", "payload": {"type": "data", "data": "..."}}      (output)
 * -> {"call": ..., "streamId": "0", "payload": {"type": "input", "data": "ls\r"}}
 * &lt;- {"type": "message", "streamId": "0", "payload": {"type": "ack"}}                    (one per input)
 * -> {"call": ..., "streamId": "0", "payload": {"type": "resize", "cols": 120, "rows": 40}}
 * </pre>
 *
 * A connection that sends no valid initialize within {@link #INITIALIZE_TIMEOUT} is closed ({@link #TIMED_OUT});
 * a frame that is not one of these (malformed JSON, a wrong call, a bad size, a binary frame) gets an error frame
 * {@code {"type": "response", "status": 400, "streamId", "payload": {"why"}}} and the connection is closed
 * ({@link #PROTOCOL_ERROR}); so does an unknown, used or expired session identifier ({@link #UNAUTHORIZED}, status
 * 401) and a job whose backend refuses the shell ({@link #REFUSED}, status 409). When the backend ends the shell,
 * the connection is closed with 1000; when the user closes it, the backend's session is closed.
 */
public final class ShellSocket implements WebSocketHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ShellSocket.class);
    /** The largest frame accepted from the user. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** How long a new connection may take to send its initialize. */
    public static final Duration INITIALIZE_TIMEOUT = Duration.ofSeconds(30);
    /** Close status: a frame that is not part of the protocol. */
    public static final int PROTOCOL_ERROR = 4400;
    /** Close status: an unknown, used or expired session identifier. */
    public static final int UNAUTHORIZED = 4401;
    /** Close status: no initialize in time. */
    public static final int TIMED_OUT = 4408;
    /** Close status: the job's backend refused the shell (the job has no machine to open it in). */
    public static final int REFUSED = 4409;
    /** Close status: the backend failed. */
    public static final int SERVER_ERROR = 1011;
    /** Output is sent in frames of at most this many characters, so that a frame stays below the limit. */
    static final int MAX_DATA_CHARS = 8 * 1024;

    private final String call;
    private final ShellSessions sessions;
    private final DelayTimer timer;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param providerId the provider's id, part of the call name the frames carry
     * @param sessions   the identifiers handed out by the provider API
     * @param timer      ends connections that do not initialise in time
     */
    public ShellSocket(String providerId, ShellSessions sessions, DelayTimer timer) {
        this.call = callOf(requireNonNull(providerId, "providerId is null"));
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.timer = requireNonNull(timer, "timer is null");
    }

    /** The websocket's path for a provider: {@code /ucloud/<provider>/websocket}. */
    public static String pathOf(String providerId) {
        return "/ucloud/" + providerId + "/websocket";
    }

    /** The call name of the shell's frames: {@code jobs.compute.<provider>.shell.open}. */
    public static String callOf(String providerId) {
        return "jobs.compute." + providerId + ".shell.open";
    }

    @Override
    public WebSocketListener open(WebSocketConnection connection) {
        Connection shell = new Connection(requireNonNull(connection, "connection is null"));
        timer.after(INITIALIZE_TIMEOUT, shell::initializeDeadline);
        return shell;
    }

    private enum Phase { AWAITING_INITIALIZE, OPENING, OPEN, ENDED }

    /** One user's connection. */
    private final class Connection implements WebSocketListener, TerminalOutput {
        private final WebSocketConnection socket;
        private final Object lock = new Object();
        private Phase phase = Phase.AWAITING_INITIALIZE;
        private String streamId = "";
        private TerminalSession session;
        private boolean backendEnded;

        Connection(WebSocketConnection socket) {
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
            UCloudRequestFrame.Read read = UCloudRequestFrame.read(text, call, false);
            if (read.frame().isEmpty()) {
                fail(PROTOCOL_ERROR, 400, read.problem());
                return;
            }
            UCloudRequestFrame frame = read.frame().get();
            JsonNode payload = frame.payload();
            String type = frame.type();
            if (now == Phase.AWAITING_INITIALIZE) {
                if (frame.streamId() != null) {
                    synchronized (lock) {
                        streamId = frame.streamId();
                    }
                }
                if (!"initialize".equals(type)) {
                    fail(PROTOCOL_ERROR, 400, "the first frame must be an initialize, got '" + type + "'");
                    return;
                }
                initialize(payload);
                return;
            }
            switch (type) {
                case "input" -> input(payload);
                case "resize" -> resize(payload);
                default -> fail(PROTOCOL_ERROR, 400, "unknown payload type '" + type + "' (expected input or resize)");
            }
        }

        private void initialize(JsonNode payload) {
            JsonNode identifier = payload.get("sessionIdentifier");
            if (identifier == null || !identifier.isString()) {
                fail(PROTOCOL_ERROR, 400, "'payload.sessionIdentifier' must be a string");
                return;
            }
            Optional<TerminalSize> size = sizeOf(payload);
            if (size.isEmpty()) {
                return;
            }
            Optional<ShellSessions.Pending> claimed = sessions.claim(identifier.asString());
            if (claimed.isEmpty()) {
                fail(UNAUTHORIZED, 401, "unknown, used or expired session identifier");
                return;
            }
            ShellSessions.Pending shell = claimed.get();
            synchronized (lock) {
                if (phase != Phase.AWAITING_INITIALIZE) {
                    return;
                }
                phase = Phase.OPENING;
            }
            socket.sendText(message(payloadOf("initialize")));
            String jobId = shell.job().id();
            TerminalSession opened;
            try {
                opened = shell.backend().openShell(shell.job(), shell.rank(), size.get(), this);
            } catch (JobRejectedException e) {
                fail(REFUSED, 409, "no shell in job " + jobId + " (rank " + shell.rank() + "): " + e.getMessage());
                return;
            } catch (RuntimeException | LinkageError e) {
                PluginFault fault = PluginFault.of(shell.backend(), "open a shell in job " + jobId, e);
                String reference = UUID.randomUUID().toString();
                LOG.error("{} (error reference {})", fault.detail(), reference, e);
                fail(SERVER_ERROR, 500, fault.withReference(reference));
                return;
            }
            if (opened == null) {
                fail(SERVER_ERROR, 500, "the backend opened no shell");
                return;
            }
            boolean closeAtOnce;
            synchronized (lock) {
                session = opened;
                closeAtOnce = phase == Phase.ENDED && !backendEnded;
                if (phase == Phase.OPENING) {
                    phase = Phase.OPEN;
                }
            }
            if (closeAtOnce) {
                // The user left while the backend was opening.
                opened.close();
            }
            LOG.info("Shell opened in job {} (rank {}) for {}", jobId, shell.rank(), socket.remoteAddress());
        }

        private void input(JsonNode payload) {
            JsonNode data = payload.get("data");
            if (data == null || !data.isString()) {
                fail(PROTOCOL_ERROR, 400, "'payload.data' of an input must be a string");
                return;
            }
            TerminalSession current = current();
            if (current != null) {
                current.input(data.asString());
            }
            socket.sendText(message(payloadOf("ack")));
        }

        private void resize(JsonNode payload) {
            Optional<TerminalSize> size = sizeOf(payload);
            TerminalSession current = current();
            if (size.isPresent() && current != null) {
                current.resize(size.get());
            }
        }

        private TerminalSession current() {
            synchronized (lock) {
                return phase == Phase.OPEN && !backendEnded ? session : null;
            }
        }

        /** The size of an initialize or resize; empty after failing the connection when it is not one. */
        private Optional<TerminalSize> sizeOf(JsonNode payload) {
            JsonNode cols = payload.get("cols");
            JsonNode rows = payload.get("rows");
            if (cols == null || rows == null || !cols.isIntegralNumber() || !rows.isIntegralNumber()
                    || !cols.canConvertToInt() || !rows.canConvertToInt()
                    || cols.asInt() < 1 || cols.asInt() > TerminalSize.MAX
                    || rows.asInt() < 1 || rows.asInt() > TerminalSize.MAX) {
                fail(PROTOCOL_ERROR, 400, "'payload.cols' and 'payload.rows' must be whole numbers from 1 to "
                        + TerminalSize.MAX);
                return Optional.empty();
            }
            return Optional.of(new TerminalSize(cols.asInt(), rows.asInt()));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            fail(PROTOCOL_ERROR, 400, "binary frames are not part of the shell protocol");
        }

        @Override
        public void onClose(int code, String reason) {
            TerminalSession toClose;
            synchronized (lock) {
                toClose = phase == Phase.OPEN && !backendEnded ? session : null;
                phase = Phase.ENDED;
            }
            if (toClose != null) {
                try {
                    toClose.close();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Closing a shell failed", e);
                }
            }
        }

        void initializeDeadline() {
            synchronized (lock) {
                if (phase != Phase.AWAITING_INITIALIZE) {
                    return;
                }
            }
            fail(TIMED_OUT, 408, "no initialize within " + INITIALIZE_TIMEOUT.toSeconds() + " s");
        }

        /** Sends an error frame and closes. */
        private void fail(int code, int status, String why) {
            ObjectNode frame = json.createObjectNode();
            frame.put("type", "response");
            frame.put("status", status);
            frame.put("streamId", streamId());
            frame.putObject("payload").put("why", why);
            socket.sendText(json.writeValueAsString(frame));
            socket.close(code, why);
        }

        // TerminalOutput: the backend's side.

        @Override
        public void data(String text) {
            if (text == null || text.isEmpty()) {
                return;
            }
            int start = 0;
            while (start < text.length()) {
                int end = Math.min(text.length(), start + MAX_DATA_CHARS);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--;
                }
                ObjectNode payload = payloadOf("data");
                payload.put("data", text.substring(start, end));
                socket.sendText(message(payload));
                start = end;
            }
        }

        @Override
        public void closed(String reason) {
            synchronized (lock) {
                if (backendEnded) {
                    return;
                }
                backendEnded = true;
            }
            socket.close(1000, reason == null ? "" : reason);
        }

        private ObjectNode payloadOf(String type) {
            ObjectNode payload = json.createObjectNode();
            payload.put("type", type);
            return payload;
        }

        private String message(ObjectNode payload) {
            ObjectNode frame = json.createObjectNode();
            frame.put("type", "message");
            frame.put("streamId", streamId());
            frame.set("payload", payload);
            return json.writeValueAsString(frame);
        }

        private String streamId() {
            synchronized (lock) {
                return streamId;
            }
        }
    }
}
