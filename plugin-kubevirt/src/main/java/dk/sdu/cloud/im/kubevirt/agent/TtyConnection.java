package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.agent.AgentFrames.ProtocolError;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * One TTY connection of an agent: its first frame {@code tty} with a token the IM issued, then {@code ready}
 * and {@code initialize} from the IM, then keys (binary frames) and resizes out and the PTY's bytes in (see
 * {@code docs/agent-protocol.md}).
 */
final class TtyConnection implements WebSocketListener {
    private static final Logger log = LoggerFactory.getLogger(TtyConnection.class);

    private enum State { AWAITING_TTY, ANSWERING, LIVE, CLOSED }

    private final AgentEndpoint endpoint;
    private final WebSocketConnection connection;
    private State state = State.AWAITING_TTY;          // guarded by this
    private AgentScheduler.Cancellable deadline;       // guarded by this
    private volatile GuestTtyListener listener;
    private volatile boolean closedByIm;

    TtyConnection(AgentEndpoint endpoint, WebSocketConnection connection) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.connection = requireNonNull(connection, "connection is null");
    }

    synchronized void start() {
        deadline = endpoint.scheduler().schedule(AgentEndpoint.HELLO_TIMEOUT, this::ttyMissing);
    }

    @Override
    public void onText(String text) {
        try {
            JsonNode frame = AgentFrames.parse(text);
            State now;
            synchronized (this) {
                now = state;
            }
            switch (now) {
                case AWAITING_TTY -> tty(frame);
                case ANSWERING -> throw new ProtocolError("a frame arrived before 'ready'");
                case LIVE -> throw new ProtocolError("text frames from the agent are not part of a TTY connection");
                case CLOSED -> { }
            }
        } catch (ProtocolError e) {
            close(4400, e.getMessage());
        }
    }

    @Override
    public void onBinary(ByteBuffer data) {
        GuestTtyListener live = listener;
        if (live == null) {
            close(4400, "a binary frame arrived before 'ready'");
            return;
        }
        live.output(data);
    }

    @Override
    public void onClose(int code, String reason) {
        synchronized (this) {
            state = State.CLOSED;
            cancelDeadline();
        }
        GuestTtyListener live = listener;
        if (live != null && !closedByIm) {
            live.closed(code, reason);
        }
    }

    private void tty(JsonNode frame) {
        if (!AgentFrames.TTY.equals(AgentFrames.type(frame))) {
            throw new ProtocolError("the first frame must be 'tty'");
        }
        String jobId = AgentFrames.requiredString(frame, "jobId");
        String token = AgentFrames.requiredString(frame, "token");
        synchronized (this) {
            state = State.ANSWERING;
        }
        Duration wait = endpoint.failures().waitFor(connection.remoteAddress());
        TtyTokens.Pending request = endpoint.ttyTokens().take(jobId, token);   // spent, whatever follows
        if (wait.isZero()) {
            answer(jobId, request);
        } else {
            endpoint.scheduler().schedule(wait, () -> answer(jobId, request));
        }
    }

    private void answer(String jobId, TtyTokens.Pending request) {
        if (request == null) {
            endpoint.failures().failed(connection.remoteAddress());
            log.info("A TTY connection from {} for job {} had no valid token", connection.remoteAddress(),
                    VmJobNames.isDnsLabel(jobId) ? jobId : "<not a job id>");
            close(4401, AgentEndpoint.AUTHENTICATION_FAILED);
            return;
        }
        synchronized (this) {
            if (state != State.ANSWERING) {
                request.future().completeExceptionally(new NoGuestAgentException(
                        "the TTY connection of job " + jobId + "'s agent ended before it was ready"));
                return;
            }
            state = State.LIVE;
            cancelDeadline();
        }
        connection.sendText(AgentFrames.ready());
        connection.sendText(AgentFrames.initialize(request.size()));
        listener = request.listener();
        if (!request.future().complete(new Tty())) {
            closedByIm = true;   // timed out meanwhile: nobody listens
            close(1000, "the terminal is no longer wanted");
        }
    }

    private void ttyMissing() {
        synchronized (this) {
            if (state != State.AWAITING_TTY && state != State.ANSWERING) {
                return;
            }
        }
        close(4408, "no 'tty' within " + AgentEndpoint.HELLO_TIMEOUT.toSeconds() + " s");
    }

    private void close(int code, String reason) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            cancelDeadline();
        }
        connection.close(code, reason);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }

    /** The IM's side of the live TTY. */
    private final class Tty implements GuestTty {
        @Override
        public void input(String data) {
            AgentFrames.keys(requireNonNull(data, "data is null"), connection::sendBinary);
        }

        @Override
        public void resize(TerminalSize size) {
            connection.sendText(AgentFrames.resize(requireNonNull(size, "size is null")));
        }

        @Override
        public void close() {
            closedByIm = true;
            TtyConnection.this.close(1000, "the user left");
        }
    }
}
