package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.agent.AgentFrames.ProtocolError;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One agent's control connection (see {@code docs/agent-protocol.md}): the {@code hello} within
 * {@link AgentEndpoint#HELLO_TIMEOUT}, the token check, {@code welcome}, then heartbeats, SSH keys, mount
 * reports and TTY requests. Frames arrive from one thread at a time; timers and the token lookup finish on
 * other threads, so the state is guarded by this object.
 */
final class ControlConnection implements WebSocketListener {
    private static final Logger log = LoggerFactory.getLogger(ControlConnection.class);
    private static final int MAX_MESSAGE_CHARS = 500;
    /** The optional fields of {@code hello} that describe the guest. */
    private static final String HELLO_OS = "os";
    private static final String HELLO_ADDRESS = "address";

    private enum State { AWAITING_HELLO, AUTHENTICATING, LIVE, CLOSED }

    private final AgentEndpoint endpoint;
    private final WebSocketConnection connection;
    private final Object keysLock = new Object();
    private State state = State.AWAITING_HELLO;        // guarded by this
    private AgentScheduler.Cancellable timer;           // guarded by this: the hello deadline, then the heartbeat
    private long lastHeardMillis;                       // guarded by this
    private volatile String jobId;                      // set once LIVE
    private volatile String startId;                    // set once LIVE
    private volatile String guestOs;                    // from the hello, if it said
    private volatile String guestAddress;               // from the hello, if it said

    ControlConnection(AgentEndpoint endpoint, WebSocketConnection connection) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.connection = requireNonNull(connection, "connection is null");
    }

    /** Starts the hello deadline; called once the listener is handed to the host. */
    synchronized void start() {
        lastHeardMillis = endpoint.clock().millis();
        timer = endpoint.scheduler().schedule(AgentEndpoint.HELLO_TIMEOUT, this::helloMissing);
    }

    String jobId() {
        return jobId;
    }

    /** The guest's operating system as the agent's {@code hello} said it, or null. */
    String guestOs() {
        return guestOs;
    }

    /** The guest's address as the agent's {@code hello} said it, or null. */
    String guestAddress() {
        return guestAddress;
    }

    @Override
    public void onText(String text) {
        try {
            JsonNode frame = AgentFrames.parse(text);
            State now;
            synchronized (this) {
                lastHeardMillis = endpoint.clock().millis();
                now = state;
            }
            switch (now) {
                case AWAITING_HELLO -> hello(frame);
                case AUTHENTICATING -> throw new ProtocolError("a frame arrived before 'welcome'");
                case LIVE -> live(frame);
                case CLOSED -> { }
            }
        } catch (ProtocolError e) {
            close(4400, e.getMessage());
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        close(4400, "binary frames are not part of the control connection");
    }

    @Override
    public void onClose(int code, String reason) {
        synchronized (this) {
            state = State.CLOSED;
            cancelTimer();
        }
        if (jobId != null) {
            endpoint.ended(this);
        }
    }

    // --- authentication ---

    private void hello(JsonNode frame) {
        if (!AgentFrames.HELLO.equals(AgentFrames.type(frame))) {
            throw new ProtocolError("the first frame must be 'hello'");
        }
        String claimedJob = AgentFrames.requiredString(frame, "jobId");
        String token = AgentFrames.requiredString(frame, "token");
        String claimedStart = AgentFrames.requiredString(frame, "startId");
        String os = AgentFrames.optionalString(frame, HELLO_OS);
        String address = AgentFrames.optionalString(frame, HELLO_ADDRESS);
        guestOs = os.isBlank() ? null : printable(os);
        guestAddress = address.isBlank() ? null : printable(address);
        synchronized (this) {
            state = State.AUTHENTICATING;
        }
        // A slowed host waits before its token is even looked up, so its attempts cost no more cluster reads.
        Duration wait = endpoint.failures().waitFor(connection.remoteAddress());
        if (wait.isZero()) {
            check(claimedJob, claimedStart, token);
        } else {
            endpoint.scheduler().schedule(wait, () -> check(claimedJob, claimedStart, token));
        }
    }

    private void check(String claimedJob, String claimedStart, String token) {
        endpoint.tokens().of(claimedJob).whenComplete((tokens, failure) -> {
            if (failure != null) {
                log.warn("The agent tokens of job {} could not be read: {}", claimedJob, failure.getMessage());
                close(1011, "the IM could not check the token");
                return;
            }
            authenticate(claimedJob, claimedStart, token, tokens);
        });
    }

    private void authenticate(String claimedJob, String claimedStart, String token, Optional<AgentTokens> tokens) {
        boolean matches = tokens.isPresent() && MessageDigest.isEqual(
                tokens.get().agentToken().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
        if (!matches) {
            if (tokens.isPresent()) {
                endpoint.tokens().forget(claimedJob);   // a job made anew has new tokens: read them next time
            }
            endpoint.failures().failed(connection.remoteAddress());
            log.info("An agent at {} failed to authenticate (job {})", connection.remoteAddress(),
                    VmJobNames.isDnsLabel(claimedJob) ? claimedJob : "<not a job id>");
            close(4401, AgentEndpoint.AUTHENTICATION_FAILED);
            return;
        }
        synchronized (this) {
            if (state != State.AUTHENTICATING) {
                return;   // closed meanwhile
            }
            jobId = claimedJob;
            startId = claimedStart;
            state = State.LIVE;
            cancelTimer();
            lastHeardMillis = endpoint.clock().millis();
            timer = endpoint.scheduler().schedule(AgentEndpoint.HEARTBEAT_INTERVAL, this::heartbeat);
        }
        endpoint.tokens().remember(claimedJob, tokens.get());
        connection.sendText(AgentFrames.welcome(tokens.get().serverToken()));
        log.info("The agent of job {} connected from {}", claimedJob, connection.remoteAddress());
        endpoint.live(this);
        endpoint.later(this::pushKeys);
    }

    private void helloMissing() {
        synchronized (this) {
            if (state != State.AWAITING_HELLO && state != State.AUTHENTICATING) {
                return;
            }
        }
        close(4408, "no 'hello' within " + AgentEndpoint.HELLO_TIMEOUT.toSeconds() + " s");
    }

    // --- the live connection ---

    private void live(JsonNode frame) {
        switch (AgentFrames.type(frame)) {
            case AgentFrames.HEARTBEAT -> { }
            case AgentFrames.SSH_KEYS_APPLIED -> log.debug("The agent of job {} applied SSH keys: {} installed, {} "
                    + "skipped", jobId, frame.path("installed").asInt(0), frame.path("skipped").asInt(0));
            case AgentFrames.MOUNTS -> mounts(frame);
            case AgentFrames.LOG -> endpoint.logged(jobId, AgentFrames.logLines(frame), AgentFrames.logDropped(frame));
            default -> throw new ProtocolError("unknown frame type '" + printable(AgentFrames.type(frame)) + "'");
        }
    }

    private void heartbeat() {
        synchronized (this) {
            if (state != State.LIVE) {
                return;
            }
            long silentMillis = endpoint.clock().millis() - lastHeardMillis;
            if (silentMillis < AgentEndpoint.SILENCE_LIMIT.toMillis()) {
                connection.sendText(AgentFrames.heartbeat());
                timer = endpoint.scheduler().schedule(AgentEndpoint.HEARTBEAT_INTERVAL, this::heartbeat);
                return;
            }
        }
        log.info("The agent of job {} was silent for {} s: it is gone", jobId,
                AgentEndpoint.SILENCE_LIMIT.toSeconds());
        close(4408, "no heartbeat for " + AgentEndpoint.SILENCE_LIMIT.toSeconds() + " s");
    }

    private void mounts(JsonNode frame) {
        List<String> failed = new ArrayList<>();
        for (JsonNode result : AgentFrames.requiredArray(frame, "results")) {
            if (!result.isObject()) {
                throw new ProtocolError("a mount result is not an object");
            }
            String path = AgentFrames.requiredString(result, "path");
            String outcome = AgentFrames.requiredString(result, "outcome");
            AgentFrames.requiredString(result, "tag");
            if ("failed".equals(outcome)) {
                failed.add("Folder " + printable(path) + " could not be mounted: "
                        + printable(AgentFrames.optionalString(result, "message")));
            } else if (!"mounted".equals(outcome) && !"alreadyMounted".equals(outcome)) {
                throw new ProtocolError("unknown mount outcome '" + printable(outcome) + "'");
            }
        }
        endpoint.mountsReported(jobId, startId, failed);
    }

    /** Sends the owner's current keys; one lookup at a time per connection, so the newest list is sent last. */
    void pushKeys() {
        synchronized (keysLock) {
            if (!connection.isOpen() || !isLive()) {
                return;
            }
            List<String> keys;
            try {
                keys = endpoint.sshKeys().authorizedKeys(jobId);
            } catch (RuntimeException e) {
                log.warn("The SSH keys of job {} could not be looked up: {}", jobId, e.getMessage());
                return;
            }
            connection.sendText(AgentFrames.sshKeys(keys));
        }
    }

    /** Sends a frame on the live connection. */
    void send(String frame) {
        connection.sendText(frame);
    }

    synchronized boolean isLive() {
        return state == State.LIVE;
    }

    /** A newer connection of the same job took over. */
    void replaced() {
        close(4409, "replaced by a newer connection of the agent");
    }

    void close(int code, String reason) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            cancelTimer();
        }
        connection.close(code, reason);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Text from the guest for a message or a reason: one line, bounded. */
    private static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ").strip();
        return line.length() <= MAX_MESSAGE_CHARS ? line : line.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
