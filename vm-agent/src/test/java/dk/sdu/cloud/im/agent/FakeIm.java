package dk.sdu.cloud.im.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The IM's side of the agent protocol for tests: a websocket server at {@code /api/vmagent} and
 * {@code /api/vmagent/tty} that hands each connection to the test, which plays the IM by hand.
 */
public final class FakeIm implements AutoCloseable {
    /** How long a test waits for something that should happen at once; only a bound for failure. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Javalin app;
    private final BlockingQueue<Connection> control = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> tty = new LinkedBlockingQueue<>();
    private final Map<String, Connection> bySession = new ConcurrentHashMap<>();

    public FakeIm() {
        app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.ws("/api/vmagent", ws -> route(ws, control));
            config.routes.ws("/api/vmagent/tty", ws -> route(ws, tty));
        }).start();
    }

    private void route(WsConfig ws, BlockingQueue<Connection> arrivals) {
        ws.onConnect(ctx -> {
            ctx.session.setMaxTextMessageSize(1024 * 1024);
            ctx.session.setMaxFrameSize(1024 * 1024);
            var connection = new Connection(ctx);
            bySession.put(ctx.sessionId(), connection);
            arrivals.add(connection);
        });
        ws.onMessage(ctx -> bySession.get(ctx.sessionId()).texts.add(ctx.message()));
        ws.onBinaryMessage(ctx -> {
            var data = ctx.data();
            var copy = new byte[data.remaining()];
            data.get(copy);
            bySession.get(ctx.sessionId()).binaries.add(copy);
        });
        ws.onClose(ctx -> bySession.get(ctx.sessionId()).closed.complete(new Close(ctx.status(), ctx.reason())));
    }

    public URI endpoint() {
        return URI.create("ws://127.0.0.1:" + app.port() + "/api/vmagent");
    }

    public Connection nextControl() throws InterruptedException {
        return take(control);
    }

    public Connection nextTty() throws InterruptedException {
        return take(tty);
    }

    private static Connection take(BlockingQueue<Connection> queue) throws InterruptedException {
        var connection = queue.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(connection).as("a connection from the agent").isNotNull();
        return connection;
    }

    @Override
    public void close() {
        app.stop();
    }

    public record Close(int status, String reason) {
    }

    /** One connection from the agent. */
    public static final class Connection {
        private final WsContext ctx;
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        private final CompletableFuture<Close> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final java.util.List<String> logLines = new java.util.concurrent.CopyOnWriteArrayList<>();

        Connection(WsContext ctx) {
            this.ctx = ctx;
        }

        public JsonNode nextFrame() throws InterruptedException {
            var text = texts.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(text).as("a frame from the agent").isNotNull();
            return JSON.readTree(text);
        }

        /** Skips heartbeats, and log frames (they may come at any time; their lines are kept: {@link #logLines}). */
        public JsonNode nextFrameOtherThanHeartbeat() throws InterruptedException {
            while (true) {
                var frame = nextFrame();
                var type = frame.get("type").stringValue();
                if (type.equals("log")) {
                    frame.get("lines").values().forEach(line -> logLines.add(line.stringValue()));
                } else if (!type.equals("heartbeat")) {
                    return frame;
                }
            }
        }

        /** The lines of the log frames {@link #nextFrameOtherThanHeartbeat} skipped. */
        public java.util.List<String> logLines() {
            return java.util.List.copyOf(logLines);
        }

        public int pendingTextFrames() {
            return texts.size();
        }

        public void send(String text) {
            ctx.send(text);
        }

        public void send(Map<String, ?> frame) {
            ctx.send(JSON.writeValueAsString(frame));
        }

        public void sendBinary(byte[] bytes) {
            ctx.send(ByteBuffer.wrap(bytes));
        }

        /** Keys for the shell of a TTY connection: a binary frame of their UTF-8 bytes. */
        public void keys(String keys) {
            sendBinary(keys.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public void close(int status, String reason) {
            ctx.closeSession(status, reason);
        }

        public Close awaitClose() throws Exception {
            return closed.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        public boolean isClosed() {
            return closed.isDone();
        }

        /** Collects binary frames until their concatenation, as text, satisfies {@code until}; returns it. */
        public String outputUntil(Predicate<String> until) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                var text = output.toString(StandardCharsets.UTF_8);
                if (until.test(text)) {
                    return text;
                }
                var left = deadline - System.nanoTime();
                var bytes = left > 0 ? binaries.poll(left, TimeUnit.NANOSECONDS) : null;
                assertThat(bytes).as("output from the shell; so far: %s", text).isNotNull();
                output.writeBytes(bytes);
            }
        }

        /** Takes the next binary frame as it came. */
        public byte[] nextBinary() throws InterruptedException {
            var bytes = binaries.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(bytes).as("a binary frame from the agent").isNotNull();
            return bytes;
        }
    }
}
