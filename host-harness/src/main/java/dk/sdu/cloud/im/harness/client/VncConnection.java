package dk.sdu.cloud.im.harness.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A job's screen, opened through the provider API ({@link HarnessClient#openVnc}): the VNC websocket a viewer such
 * as noVNC opens, with the RFB bytes the server sent kept until they are read. For looking at the stream (the
 * server's version line), not for drawing the screen.
 */
public final class VncConnection implements AutoCloseable {
    /** The subprotocol noVNC offers, which the IM answers. */
    static final String SUBPROTOCOL = "binary";

    private final WebSocket socket;
    private final Session session;
    private final Object lock = new Object();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Closed closed;

    /**
     * A VNC session as the provider API handed it out.
     *
     * @param url      the websocket's URL, with its single-use token
     * @param password the application's VNC password, when it has one
     */
    public record Session(String url, Optional<String> password) {
        public Session {
            requireNonNull(url, "url is null");
            requireNonNull(password, "password is null");
        }
    }

    /**
     * How the connection ended.
     *
     * @param code   the websocket close status (-1 when it broke)
     * @param reason the reason the IM gave
     */
    public record Closed(int code, String reason) {
    }

    private VncConnection(URI uri, Session session, Duration timeout) {
        this.session = session;
        try {
            this.socket = HttpClient.newBuilder().connectTimeout(timeout).build().newWebSocketBuilder()
                    .connectTimeout(timeout).subprotocols(SUBPROTOCOL).buildAsync(uri, new Listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessClientException(0, "interrupted while connecting to " + uri, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new HarnessClientException(0, "cannot open the screen's websocket " + withoutToken(uri) + ": "
                    + cause.getMessage(), e);
        }
    }

    /**
     * Connects to a session's screen.
     *
     * @param uri     where to connect (the session's path and token on the IM the client reaches)
     * @param session the session as the IM handed it out
     */
    static VncConnection open(URI uri, Session session, Duration timeout) {
        return new VncConnection(requireNonNull(uri, "uri is null"), requireNonNull(session, "session is null"),
                requireNonNull(timeout, "timeout is null"));
    }

    /** The session, as the IM handed it out (its token is used up by this connection). */
    public Session session() {
        return session;
    }

    /** Bytes as text for a person: printable ASCII as is, a final newline dropped, anything else as {@code \xNN}. */
    public static String printable(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        for (int i = 0; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return text.toString();
    }

    /** Sends bytes to the screen, in one binary frame. */
    public void send(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        socket.sendBinary(ByteBuffer.wrap(bytes.clone()), true).join();
    }

    /**
     * Waits until the server sent {@code count} bytes (or the connection ended, or {@code within} passed).
     *
     * @return the first bytes received, at most {@code count}; fewer when no more came
     */
    public byte[] firstBytes(int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lock) {
            while (received.size() < count && closed == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            byte[] all = received.toByteArray();
            return Arrays.copyOf(all, Math.min(all.length, count));
        }
    }

    /** How the connection ended, if it did. */
    public Optional<Closed> closed() {
        synchronized (lock) {
            return Optional.ofNullable(closed);
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).join();
        } catch (CompletionException | IllegalStateException e) {
            socket.abort();
        }
    }

    private static String withoutToken(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            synchronized (lock) {
                received.writeBytes(bytes);
                lock.notifyAll();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(new Closed(-1, String.valueOf(error.getMessage())));
        }

        private void ended(Closed how) {
            synchronized (lock) {
                if (closed == null) {
                    closed = how;
                }
                lock.notifyAll();
            }
        }
    }
}
