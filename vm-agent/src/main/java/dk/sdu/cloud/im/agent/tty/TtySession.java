package dk.sdu.cloud.im.agent.tty;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.socket.CloseCodes;
import dk.sdu.cloud.im.agent.socket.Frames;
import dk.sdu.cloud.im.agent.socket.ProtocolException;
import dk.sdu.cloud.im.agent.socket.SerialWebSocket;
import dk.sdu.cloud.im.agent.socket.TextFrameAssembler;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TTY connection (docs/agent-protocol.md, "A TTY connection"): {@code tty} out, {@code ready} and
 * {@code initialize} in, then the shell: keys in as binary frames (written to the PTY as they are) and
 * {@code resize} text frames, its output out as binary frames. The shell's end closes the connection (1000);
 * the connection's end hangs the shell up.
 */
public final class TtySession implements WebSocket.Listener {
    public static final int MAX_OUTPUT_FRAME = 32 * 1024;
    /** The largest key frame the IM may send (it splits larger input). */
    public static final int MAX_INPUT_FRAME = TextFrameAssembler.MAX_FRAME_BYTES;
    static final int MAX_SIZE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TtySession.class);

    private final String jobId;
    private final String token;
    private final Frames frames;
    private final ShellLauncher launcher;
    private final ThreadFactory outputThreads;
    private final TextFrameAssembler assembler = new TextFrameAssembler(TextFrameAssembler.MAX_FRAME_BYTES);

    private State state = State.CONNECTING;
    private SerialWebSocket socket;
    private Shell shell;
    private byte[] inputParts;     // a key frame that arrives in parts, until its last (at most MAX_INPUT_FRAME)
    private int inputPartsLength;

    public TtySession(String jobId, String token, Frames frames, ShellLauncher launcher, ThreadFactory outputThreads) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.token = requireNonNull(token, "token is null");
        this.frames = requireNonNull(frames, "frames is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.outputThreads = requireNonNull(outputThreads, "outputThreads is null");
    }

    private enum State { CONNECTING, AWAITING_READY, AWAITING_INITIALIZE, RUNNING, ENDED }

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            socket = new SerialWebSocket(webSocket);
            state = State.AWAITING_READY;
            var hello = frames.create("tty");
            hello.put("jobId", jobId);
            hello.put("token", token);
            socket.sendText(frames.write(hello));
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (this) {
            if (state != State.ENDED) {
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
            if (state == State.RUNNING) {
                keyFrame(data, last);
            } else if (state != State.ENDED) {
                close(CloseCodes.PROTOCOL_ERROR, "keys before 'initialize'");
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        LOG.info("TTY closed by the IM: {} {}", statusCode, reason);
        end();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        LOG.warn("TTY connection failed: {}", error.toString());
        end();
    }

    private void handle(Frames.Frame frame) throws ProtocolException {
        switch (state) {
            case AWAITING_READY -> {
                expect(frame, "ready");
                state = State.AWAITING_INITIALIZE;
            }
            case AWAITING_INITIALIZE -> {
                expect(frame, "initialize");
                start(frame.integer("cols", 1, MAX_SIZE), frame.integer("rows", 1, MAX_SIZE));
            }
            case RUNNING -> {
                switch (frame.type()) {
                    case "resize" -> shell.resize(frame.integer("cols", 1, MAX_SIZE), frame.integer("rows", 1, MAX_SIZE));
                    default -> throw ProtocolException.protocolError("unexpected frame type on a TTY");
                }
            }
            default -> throw ProtocolException.protocolError("unexpected frame");
        }
    }

    private static void expect(Frames.Frame frame, String type) throws ProtocolException {
        if (!frame.type().equals(type)) {
            throw ProtocolException.protocolError("expected " + type);
        }
    }

    private void start(int cols, int rows) {
        try {
            shell = launcher.start(cols, rows);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot start the shell", e);
            close(CloseCodes.NORMAL, "the shell could not start");
            return;
        }
        state = State.RUNNING;
        var started = shell;
        outputThreads.newThread(() -> pumpOutput(started)).start();
    }

    // Called holding the lock. A frame that comes whole (the usual case) goes to the PTY from the JDK's buffer; one
    // that the JDK hands over in parts is gathered first, so that an oversized frame is refused before any of it
    // reaches the shell.
    private void keyFrame(ByteBuffer part, boolean last) {
        int length = part.remaining();
        if (inputPartsLength + length > MAX_INPUT_FRAME) {
            inputPartsLength = 0;
            close(CloseCodes.PROTOCOL_ERROR, "frame larger than " + MAX_INPUT_FRAME + " bytes");
            return;
        }
        if (last && inputPartsLength == 0 && part.hasArray()) {
            input(part.array(), part.arrayOffset() + part.position(), length);
            return;
        }
        if (inputParts == null) {
            inputParts = new byte[MAX_INPUT_FRAME];
        }
        part.get(inputParts, inputPartsLength, length);
        inputPartsLength += length;
        if (last) {
            int whole = inputPartsLength;
            inputPartsLength = 0;
            input(inputParts, 0, whole);
        }
    }

    private void input(byte[] keys, int offset, int length) {
        try {
            shell.write(keys, offset, length);
        } catch (IOException e) {
            // The shell is going away; its end closes the connection.
            LOG.debug("cannot write to the shell: {}", e.toString());
        }
    }

    // Sends the shell's output, one frame at a time (so a slow IM slows the shell, not the agent's memory),
    // and closes the connection when the shell's terminal ends.
    private void pumpOutput(Shell running) {
        var buffer = new byte[MAX_OUTPUT_FRAME];
        try (var output = running.output()) {
            int n;
            while ((n = output.read(buffer)) >= 0) {
                if (n == 0) {
                    continue;
                }
                SerialWebSocket target;
                synchronized (this) {
                    if (state == State.ENDED) {
                        return;
                    }
                    target = socket;
                }
                // The buffer is read into again only once the send completed (the JDK is done with it then).
                target.sendBinary(ByteBuffer.wrap(buffer, 0, n)).join();
            }
        } catch (IOException | CompletionException e) {
            LOG.debug("TTY output ended: {}", e.toString());
        }
        try {
            var status = running.waitFor();
            LOG.info("shell exited with status {}", status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            close(CloseCodes.NORMAL, "shell exited");
        }
    }

    // Called holding the lock.
    private void close(int code, String reason) {
        if (state == State.ENDED) {
            return;
        }
        if (socket != null) {
            socket.close(code, reason);
        }
        end();
    }

    private void end() {
        Shell running;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            running = shell;
        }
        if (running != null) {
            running.hangup();
        }
    }
}
