package dk.sdu.cloud.im.agent.control;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.config.AgentConfig;
import dk.sdu.cloud.im.agent.keys.AuthorizedKeys;
import dk.sdu.cloud.im.agent.log.LogQueue;
import dk.sdu.cloud.im.agent.mounts.MountResult;
import dk.sdu.cloud.im.agent.socket.CloseCodes;
import dk.sdu.cloud.im.agent.socket.Frames;
import dk.sdu.cloud.im.agent.socket.ProtocolException;
import dk.sdu.cloud.im.agent.socket.SerialWebSocket;
import dk.sdu.cloud.im.agent.socket.TextFrameAssembler;
import dk.sdu.cloud.im.agent.time.Scheduler;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control connection, from hello to close (docs/agent-protocol.md, "The control connection"). It ends
 * exactly once, whichever way (the IM closed, the agent closed, the connection broke), and then tells its
 * client, which decides when to dial again.
 */
public final class ControlSession implements WebSocket.Listener {
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration SILENCE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ControlSession.class);

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final Scheduler scheduler;
    private final Frames frames;
    private final AuthorizedKeys authorizedKeys;
    private final Supplier<List<MountResult>> mountResults;
    private final TtyOpener ttyOpener;
    private final Events events;
    private final LogQueue logs;
    private final TextFrameAssembler assembler = new TextFrameAssembler(TextFrameAssembler.MAX_FRAME_BYTES);

    private State state = State.CONNECTING;
    private SerialWebSocket socket;
    private Instant lastHeard;
    private Scheduler.Cancellable ticker;

    public ControlSession(AgentConfig config, AgentIdentity identity, Scheduler scheduler, Frames frames,
                          AuthorizedKeys authorizedKeys, Supplier<List<MountResult>> mountResults, TtyOpener ttyOpener,
                          Events events) {
        this(config, identity, scheduler, frames, authorizedKeys, mountResults, ttyOpener, events,
                new LogQueue(LogQueue.CAPACITY));
    }

    /**
     * A session that also sends the agent's log lines from {@code logs}: what waited at once after each
     * {@code welcome}, then what came with each heartbeat.
     */
    public ControlSession(AgentConfig config, AgentIdentity identity, Scheduler scheduler, Frames frames,
                          AuthorizedKeys authorizedKeys, Supplier<List<MountResult>> mountResults, TtyOpener ttyOpener,
                          Events events, LogQueue logs) {
        this.logs = requireNonNull(logs, "logs is null");
        this.config = requireNonNull(config, "config is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.frames = requireNonNull(frames, "frames is null");
        this.authorizedKeys = requireNonNull(authorizedKeys, "authorizedKeys is null");
        this.mountResults = requireNonNull(mountResults, "mountResults is null");
        this.ttyOpener = requireNonNull(ttyOpener, "ttyOpener is null");
        this.events = requireNonNull(events, "events is null");
    }

    /** What the client hears from a session. */
    public interface Events {
        /** The IM proved itself; the back-off starts over. */
        void welcomed();

        /** The session is over, and will not call again. */
        void ended();
    }

    private enum State { CONNECTING, AWAITING_WELCOME, ESTABLISHED, ENDED }

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            socket = new SerialWebSocket(webSocket);
            lastHeard = scheduler.now();
            state = State.AWAITING_WELCOME;
            // The ticker first: once the IM has the hello, the silence rule must already be running.
            ticker = scheduler.scheduleRepeating(HEARTBEAT, this::tick);
            var hello = frames.create("hello");
            hello.put("jobId", config.jobId());
            hello.put("token", config.agentToken().reveal());
            hello.put("agentVersion", identity.agentVersion());
            hello.put("startId", identity.startId());
            identity.guest().os().ifPresent(os -> hello.put("os", os));
            identity.guest().address().ifPresent(address -> hello.put("address", address));
            socket.sendText(frames.write(hello));
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (this) {
            if (state != State.ENDED) {
                lastHeard = scheduler.now();
                try {
                    var text = assembler.append(data, last);
                    if (text != null) {
                        handle(frames.read(text));
                    }
                } catch (ProtocolException e) {
                    close(e.closeCode(), e.getMessage());
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (this) {
            close(CloseCodes.PROTOCOL_ERROR, "binary frame on the control connection");
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        synchronized (this) {
            lastHeard = scheduler.now();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        LOG.info("control connection closed: {} {}", statusCode, reason);
        end();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        LOG.warn("control connection failed: {}", error.toString());
        end();
    }

    private void handle(Frames.Frame frame) throws ProtocolException {
        if (state == State.AWAITING_WELCOME) {
            if (!frame.type().equals("welcome")) {
                throw ProtocolException.protocolError("expected welcome, got " + shortType(frame));
            }
            if (!config.serverToken().matches(frame.string("serverToken"))) {
                LOG.warn("the server at {} did not prove it is this job's IM (wrong serverToken); closing", config.endpoint());
                close(CloseCodes.AUTHENTICATION_FAILED, "authentication failed");
                return;
            }
            state = State.ESTABLISHED;
            LOG.info("connected to the IM at {}", config.endpoint());
            events.welcomed();
            sendMounts();
            sendLogs();
            return;
        }
        switch (frame.type()) {
            case "heartbeat" -> { }
            case "sshKeys" -> applyKeys(frame);
            case "openTty" -> ttyOpener.open(frame.string("token"));
            default -> throw ProtocolException.protocolError("unexpected frame type " + shortType(frame));
        }
    }

    private void applyKeys(Frames.Frame frame) throws ProtocolException {
        var keys = new ArrayList<String>();
        for (var key : frame.array("keys").values()) {
            if (!key.isString()) {
                throw ProtocolException.protocolError("sshKeys.keys must hold strings");
            }
            keys.add(key.stringValue());
        }
        AuthorizedKeys.Applied applied;
        try {
            applied = authorizedKeys.apply(keys);
        } catch (IOException e) {
            // Not the IM's fault: report nothing installed and keep the connection; the next push tries again.
            LOG.error("cannot write {}: {}", authorizedKeys.file(), e.toString());
            applied = new AuthorizedKeys.Applied(0, keys.size());
        }
        LOG.info("SSH keys applied: {} installed, {} skipped", applied.installed(), applied.skipped());
        var answer = frames.create("sshKeysApplied");
        answer.put("installed", applied.installed());
        answer.put("skipped", applied.skipped());
        socket.sendText(frames.write(answer));
    }

    private void sendMounts() {
        var report = frames.create("mounts");
        var results = report.putArray("results");
        for (var result : mountResults.get()) {
            var node = results.addObject();
            node.put("tag", result.tag());
            node.put("path", result.path());
            node.put("readOnly", result.readOnly());
            node.put("outcome", result.outcome().wireName());
            node.put("message", result.message());
        }
        socket.sendText(frames.write(report));
    }

    // Called holding the lock, once established. Lines taken are gone: one lost with a breaking connection is
    // acceptable for a log shown to people, and keeps the queue the only buffer. Only the lines waiting when it
    // starts go: one that another thread adds meanwhile goes with the next heartbeat, so when a line is sent
    // follows from when it was written, not from a race with this loop.
    private void sendLogs() {
        int waiting = logs.size();
        for (var batch = logs.take(waiting); batch.isPresent(); batch = logs.take(waiting)) {
            var frame = frames.create("log");
            var lines = frame.putArray("lines");
            batch.get().lines().forEach(lines::add);
            frame.put("dropped", batch.get().dropped());
            socket.sendText(frames.write(frame));
            waiting -= batch.get().lines().size();
        }
    }

    private void tick() {
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            if (Duration.between(lastHeard, scheduler.now()).compareTo(SILENCE) >= 0) {
                LOG.warn("the IM has been silent for {} s; reconnecting", SILENCE.toSeconds());
                close(CloseCodes.SILENT, "silent for too long");
                return;
            }
            if (state == State.ESTABLISHED) {
                socket.sendText(frames.write(frames.create("heartbeat")));
                sendLogs();
            }
        }
    }

    // Called holding the lock. The session ends now, not when the IM answers the close: a dead IM never will.
    private void close(int code, String reason) {
        if (state == State.ENDED) {
            return;
        }
        if (code != CloseCodes.AUTHENTICATION_FAILED && code != CloseCodes.SILENT) {
            LOG.warn("closing the control connection: {} {}", code, reason);
        }
        var closing = socket;
        closing.close(code, reason);
        scheduler.schedule(SILENCE, closing::abort);
        end();
    }

    private void end() {
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            if (ticker != null) {
                ticker.cancel();
            }
        }
        events.ended();
    }

    private static String shortType(Frames.Frame frame) {
        var type = frame.type();
        return type.length() <= 40 ? "'" + type + "'" : "'" + type.substring(0, 40) + "…'";
    }
}
