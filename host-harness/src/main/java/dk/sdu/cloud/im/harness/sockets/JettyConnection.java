package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * One peer's connection as a {@link PeerConnection}. Sends are made under a lock, so they go out in the
 * order they were made (Jetty queues them without blocking). Frames and the end reach the listener one at a
 * time; the end exactly once, last.
 */
final class JettyConnection implements PeerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(JettyConnection.class);
    /** A close frame's reason may be at most 123 bytes of UTF-8. */
    static final int MAX_REASON_BYTES = 123;

    private final Session session;
    private final String owner;
    private final String remoteAddress;
    private final Map<String, List<String>> query;
    private final Object sending = new Object();
    private final Object delivering = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile WebSocketListener listener;

    JettyConnection(Session session, String owner, Map<String, List<String>> query) {
        this.session = requireNonNull(session, "session is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.remoteAddress = describe(session.getRemoteSocketAddress());
        this.query = Map.copyOf(requireNonNull(query, "query is null"));
    }

    void listen(WebSocketListener listener) {
        synchronized (delivering) {
            this.listener = listener;
            if (ended.get()) {
                // It ended while the handler was taking it.
                listener.onClose(1006, "");
            }
        }
    }

    void deliverText(String text) {
        synchronized (delivering) {
            WebSocketListener current = listener;
            if (current != null && !ended.get()) {
                guarded(() -> current.onText(text));
            }
        }
    }

    void deliverBinary(ByteBuffer data) {
        synchronized (delivering) {
            WebSocketListener current = listener;
            if (current != null && !ended.get()) {
                guarded(() -> current.onBinary(data));
            }
        }
    }

    void ended(int code, String reason) {
        synchronized (delivering) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            WebSocketListener current = listener;
            if (current != null) {
                try {
                    current.onClose(code, reason);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("websocket {}: the listener failed on the end of a connection", owner, e);
                }
            }
        }
    }

    private void guarded(Runnable delivery) {
        try {
            delivery.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("websocket {}: the listener failed on a frame; closing the connection", owner, e);
            close(1011, "server error");
        }
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void sendText(String text) {
        requireNonNull(text, "text is null");
        synchronized (sending) {
            if (!session.isOpen()) {
                return;
            }
            try {
                inFlight.incrementAndGet();
                session.sendText(text, tracked());
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                LOG.debug("websocket {}: a send failed: {}", owner, e.toString());
            }
        }
    }

    @Override
    public void sendBinary(ByteBuffer data) {
        requireNonNull(data, "data is null");
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        synchronized (sending) {
            if (!session.isOpen()) {
                return;
            }
            try {
                inFlight.incrementAndGet();
                session.sendBinary(copy, tracked());
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                LOG.debug("websocket {}: a send failed: {}", owner, e.toString());
            }
        }
    }

    @Override
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(requireNonNull(name, "name is null"));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    @Override
    public void ping() {
        synchronized (sending) {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.sendPing(ByteBuffer.allocate(0), failureLogger());
            } catch (RuntimeException e) {
                LOG.debug("websocket {}: a ping failed: {}", owner, e.toString());
            }
        }
    }

    @Override
    public void close(int code, String reason) {
        synchronized (sending) {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.close(code, truncate(reason == null ? "" : reason), Callback.NOOP);
            } catch (RuntimeException e) {
                LOG.debug("websocket {}: closing failed: {}", owner, e.toString());
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !ended.get() && session.isOpen();
    }

    @Override
    public int framesInFlight() {
        return inFlight.get();
    }

    /** Counts a frame out when its write finished, either way. */
    private Callback tracked() {
        return Callback.from(inFlight::decrementAndGet, e -> {
            inFlight.decrementAndGet();
            LOG.debug("websocket {}: a send failed: {}", owner, e.toString());
        });
    }

    private Callback failureLogger() {
        return Callback.from(() -> {
        }, e -> LOG.debug("websocket {}: a send failed: {}", owner, e.toString()));
    }

    /** The longest start of {@code reason} that fits a close frame, without cutting a character. */
    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
            if (end > 0 && Character.isLowSurrogate(reason.charAt(end))) {
                end--;
            }
        }
        return reason.substring(0, end);
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
