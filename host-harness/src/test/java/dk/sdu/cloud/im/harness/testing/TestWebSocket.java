package dk.sdu.cloud.im.harness.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK websocket client for tests: collects every message (text as is, binary as {@code "binary:<n> bytes"}, and
 * binary messages' bytes on their own, {@link #nextBinary}), the pings and the close. Waits are bounded by {@link #DEADLINE}, which only bounds a failure.
 */
public final class TestWebSocket implements AutoCloseable {
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    /** How the server closed: its status and reason. */
    public record Closed(int code, String reason) {
    }

    private TestWebSocket(URI uri, String... subprotocols) {
        this(uri, java.util.Map.of(), subprotocols);
    }

    private TestWebSocket(URI uri, java.util.Map<String, String> headers, String... subprotocols) {
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] part = new byte[data.remaining()];
                data.get(part);
                binary.writeBytes(part);
                if (last) {
                    byte[] whole = binary.toByteArray();
                    binary.reset();
                    messages.add("binary:" + whole.length + " bytes");
                    binaries.add(whole);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pings.incrementAndGet();
                webSocket.request(1);
                return null;   // the JDK client answers with a pong itself
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(new Closed(-1, error.toString()));
            }
        };
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(DEADLINE);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        this.socket = builder.buildAsync(uri, listener).orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    public static TestWebSocket connect(URI uri) {
        return new TestWebSocket(uri);
    }

    /** Connects with these headers in the upgrade request (e.g. a caller's credentials). */
    public static TestWebSocket connect(URI uri, java.util.Map<String, String> headers) {
        return new TestWebSocket(uri, headers);
    }

    /** Connects offering subprotocols, in order of preference. */
    public static TestWebSocket connect(URI uri, String... subprotocols) {
        return new TestWebSocket(uri, subprotocols);
    }

    /** The subprotocol the server chose; empty when none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** How many pings the server sent so far. */
    public int pings() {
        return pings.get();
    }

    /** The next binary message's bytes; fails when none comes in time. */
    public byte[] nextBinary() {
        try {
            byte[] message = binaries.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no binary message within " + DEADLINE.toSeconds() + " s (closed: "
                        + closed.getNow(null) + ")");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends a text frame and waits until it is out. */
    public TestWebSocket send(String text) {
        socket.sendText(text, true).orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** Sends a binary frame and waits until it is out. */
    public TestWebSocket sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** The next message; fails when none comes in time. */
    public String next() {
        try {
            String message = messages.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + DEADLINE.toSeconds() + " s (closed: "
                        + closed.getNow(null) + ")");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Messages received and not yet taken. */
    public java.util.List<String> pending() {
        return java.util.List.copyOf(messages);
    }

    /** Waits for the server's close. */
    public Closed awaitClose() {
        return closed.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Whether the server closed. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Closes from this side (1000), waiting until the close frame is out. */
    public void closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
