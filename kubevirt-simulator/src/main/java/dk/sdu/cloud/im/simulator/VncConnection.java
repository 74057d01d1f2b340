package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.vnc.BitmapFont;
import dk.sdu.cloud.im.simulator.vnc.ByteQueue;
import dk.sdu.cloud.im.simulator.vnc.RfbSession;
import dk.sdu.cloud.im.simulator.vnc.TestScreen;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One connection to a simulated VMI's screen ({@code .../virtualmachineinstances/<name>/vnc}): a raw RFB
 * stream in binary websocket frames (text frames are dropped, as virt-handler drops them), served by an
 * {@link RfbSession} showing a {@link TestScreen}. At most {@link #INPUT_CAPACITY} bytes of the viewer's input
 * wait unread; more closes the connection (1008). The connection closes with 1000 when the viewer ends the
 * RFB stream, the VMI stops or another viewer takes over, with 1008 when the viewer breaks the protocol.
 *
 * <p>Websocket callbacks run on the server's event loop and never wait: input is queued for the session's
 * reader thread, and only the session's threads write.
 */
final class VncConnection extends WebSocketListener {

    /** The most input bytes that may wait for the session's reader. */
    static final int INPUT_CAPACITY = 1 << 20;
    /** The largest websocket message the server sends (an update is split into several). */
    static final int MESSAGE_SIZE = 64 * 1024;
    /** The longest close reason a websocket close frame carries, in bytes. */
    private static final int CLOSE_REASON_BYTES = 123;

    private static final Logger log = LoggerFactory.getLogger(VncConnection.class);

    private final String name;
    private final Clock clock;
    private final BitmapFont font;
    private final Duration clockPoll;
    private final String threadName;
    private final Consumer<VncConnection> onEnd;
    private final ByteQueue input = new ByteQueue(INPUT_CAPACITY);
    private volatile WebSocket socket;
    private volatile RfbSession session;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean hungUp;
    private volatile String hangUpReason;

    /**
     * @param name       the VMI's name (the desktop's name)
     * @param clock      the time the screen shows
     * @param font       the font the screen is drawn with
     * @param clockPoll  how often the screen's clock is looked at
     * @param threadName prefix of the session's threads' names
     * @param onEnd      called when the connection ends (once or more)
     */
    VncConnection(String name, Clock clock, BitmapFont font, Duration clockPoll, String threadName,
                  Consumer<VncConnection> onEnd) {
        this.name = requireNonNull(name, "name is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.font = requireNonNull(font, "font is null");
        this.clockPoll = requireNonNull(clockPoll, "clockPoll is null");
        this.threadName = requireNonNull(threadName, "threadName is null");
        this.onEnd = requireNonNull(onEnd, "onEnd is null");
    }

    @Override
    public void onOpen(WebSocket socket, Response response) {
        this.socket = socket;
        if (hungUp) {
            // Taken over (or the VMI stopped) between the request and the upgrade.
            close(1000, hangUpReason);
            return;
        }
        RfbSession started = new RfbSession(name, input, new Frames(socket), new TestScreen(name, font, clock.instant()),
                clock, clockPoll, threadName, this::sessionEnded);
        session = started;
        log.info("simulated guest {}: VNC connection opened", name);
        started.start();
        if (ended.get()) {
            started.stop();     // the viewer went (or was hung up on) while the session was being made
        }
    }

    @Override
    public void onMessage(WebSocket socket, byte[] bytes) {
        take(bytes);
    }

    @Override
    public void onMessage(WebSocket socket, ByteString bytes) {
        take(bytes.toByteArray());
    }

    private void take(byte[] bytes) {
        if (!input.offer(bytes)) {
            end(1008, "more than " + INPUT_CAPACITY + " bytes of input unread");
        }
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
        end(1000, "the viewer closed the connection");
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
        end(1000, "the viewer closed the connection");
    }

    @Override
    public void onFailure(WebSocket socket, Throwable cause, Response response) {
        end(1011, "the VNC connection failed");
    }

    /** Ends the connection from the server's side (the VMI stopped, another viewer took over). */
    void hangUp(String reason) {
        hangUpReason = reason;
        hungUp = true;
        end(1000, reason);
    }

    /** Waits (at most {@code timeout}) for the session's threads to end; whether they did. */
    boolean awaitThreads(Duration timeout) throws InterruptedException {
        RfbSession started = session;
        return started == null || started.awaitThreads(timeout);
    }

    private void sessionEnded(RfbSession.End end) {
        if (end.violation()) {
            log.info("simulated guest {}: VNC viewer refused: {}", name, end.reason());
        }
        end(end.violation() ? 1008 : 1000, end.reason());
    }

    // The first end wins: its code and reason go in the close frame, before the session is stopped.
    private void end(int code, String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        input.close();
        close(code, reason);
        RfbSession started = session;
        if (started != null) {
            started.stop();
        }
        onEnd.accept(this);
    }

    private void close(int code, String reason) {
        WebSocket open = socket;
        if (open != null) {
            open.close(code, clip(reason));     // the first close wins; later ones are ignored
        }
    }

    // Whole characters, each at most 3 bytes in UTF-8 (reasons hold no surrogate pairs worth keeping).
    private static String clip(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= CLOSE_REASON_BYTES) {
            return reason;
        }
        StringBuilder clipped = new StringBuilder();
        for (int i = 0; i < reason.length() && clipped.toString().getBytes(StandardCharsets.UTF_8).length
                + 3 + 3 <= CLOSE_REASON_BYTES; i++) {
            clipped.append(reason.charAt(i));
        }
        return clipped + "...";
    }

    /** The server's bytes as binary messages of at most {@link #MESSAGE_SIZE} bytes (a send waits for its write). */
    private static final class Frames extends OutputStream {

        private final WebSocket socket;

        Frames(WebSocket socket) {
            this.socket = socket;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            for (int at = offset; at < offset + length; at += MESSAGE_SIZE) {
                if (!socket.send(Arrays.copyOfRange(bytes, at, Math.min(offset + length, at + MESSAGE_SIZE)))) {
                    throw new IOException("the websocket took no more bytes");
                }
            }
        }
    }
}
