package dk.sdu.cloud.im.kubevirt.bench;

import dk.sdu.cloud.im.kubevirt.agent.GuestTty;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtyListener;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.shell.SerialConsoles;
import dk.sdu.cloud.im.kubevirt.shell.Shells;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import io.javalin.Javalin;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The shell relay against the floor of a bare websocket: throughput (MB/s of echoed terminal text) and
 * round-trip latency (median, p99) of
 * <ol>
 *   <li><b>direct</b>: the floor: the same loopback websocket as the relay's (Javalin's server side, where the
 *       IM is, and a JDK client, where the agent is), binary frames both ways, echoed by the client;</li>
 *   <li><b>relay</b>: the same echo through a shell, laid out as in the IM: {@link TerminalSession#input} to a
 *       {@link GuestTty} that is the server side (Javalin, as the host serves the agent endpoint) of a loopback
 *       websocket, JSON {@code input} text frames as the agent protocol has them, to an echo "agent" (a JDK
 *       websocket client, as the agent dials) that answers with binary output frames of at most 32 KiB, back
 *       through {@link GuestTtyListener}, the relay's UTF-8 decoding and locking, to {@link TerminalOutput#data}.</li>
 * </ol>
 * The echo's throughput carries the protocol's cost of keys (a JSON text frame each way: encoded by the IM,
 * parsed by the agent), which a binary echo has not; so the guest's output alone is measured too: the guest
 * writes N copies of the text (binary frames of at most 32 KiB) after one request, and the time until the user
 * side has them all is compared with the same stream from a bare websocket. The text is terminal-like, mostly
 * ASCII with two- and three-byte characters. The sides alternate over rounds (the JIT favours whichever runs
 * later); throughput is the best round of each, latency is over all round trips of a side. Target: the relay keeps >= 80 % of the direct throughput and adds < 1 ms
 * to the median round trip. A program, not a test: {@code scripts/bench shell}.
 */
public final class ShellRelayBenchmark {
    private static final int CHUNK_CHARS = 8 * 1024;       // one paste, one input frame
    private static final int WINDOW = 1024 * 1024;         // text in flight at most (both sides)
    private static final int MAX_OUTPUT_FRAME = 32 * 1024; // the agent's largest output frame
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TEXT = payload();
    private static final byte[] TEXT_UTF8 = TEXT.getBytes(StandardCharsets.UTF_8);
    /** The guest's output in the output-only runs: whole copies of the text per frame, at most 32 KiB. */
    private static final int FLOOD_COPIES_PER_FRAME = MAX_OUTPUT_FRAME / TEXT_UTF8.length;
    private static final byte[] FLOOD_FRAME = flood();
    /** The key that asks the echo agent for output instead of an echo: {@code <prefix><copies>}. */
    private static final String FLOOD_REQUEST = "\u0001flood:";

    private final int megabytes;
    private final int roundTrips;
    private final int rounds;

    private ShellRelayBenchmark(int megabytes, int roundTrips, int rounds) {
        this.megabytes = megabytes;
        this.roundTrips = roundTrips;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int megabytes = 64;
        int roundTrips = 10_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--megabytes" -> megabytes = Integer.parseInt(args[++i]);
                case "--round-trips" -> roundTrips = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: ShellRelayBenchmark [--megabytes N] [--round-trips N] [--rounds N]");
                    System.exit(2);
                }
            }
        }
        new ShellRelayBenchmark(megabytes, roundTrips, rounds).run();
        System.exit(0);
    }

    /**
     * A loopback server: {@code /tty} is the IM's end of the connections (the agents' and the direct echo's),
     * handed to {@code ttys}.
     */
    private static Javalin server(TtyEndpoint ttys) {
        return Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.startup.showJavalinBanner = false;
            config.routes.ws("/tty", ws -> {
                ws.onConnect(ttys::connected);
                ws.onBinaryMessage(ctx -> ttys.output(ctx.sessionId(), ctx.data()));
            });
        }).start();
    }

    private void run() throws Exception {
        TtyEndpoint endpoint = new TtyEndpoint();
        Javalin server = server(endpoint);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        HttpClient http = HttpClient.newHttpClient();
        try {
            String base = "ws://127.0.0.1:" + server.port();
            String text = TEXT;
            System.out.printf(Locale.ROOT, "Shell relay benchmark: %d MB per throughput run, %d round trips per "
                    + "latency run, %d rounds; Java %s, %d CPUs%n", megabytes, roundTrips, rounds,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

            List<Double> directMbs = new ArrayList<>();
            List<Double> relayMbs = new ArrayList<>();
            List<Double> directOutputMbs = new ArrayList<>();
            List<Double> relayOutputMbs = new ArrayList<>();
            List<Long> directRtt = new ArrayList<>();
            List<Long> relayRtt = new ArrayList<>();
            // Warm-up of both, not counted.
            measure(new Direct(http, base, endpoint), text, Math.max(1, megabytes / 4), roundTrips / 4, null, null, null);
            measure(new Relay(http, base, endpoint, scheduler), text, Math.max(1, megabytes / 4), roundTrips / 4,
                    null, null, null);
            for (int round = 0; round < rounds; round++) {
                boolean directFirst = round % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    if ((side == 0) == directFirst) {
                        measure(new Direct(http, base, endpoint), text, megabytes, roundTrips, directMbs, directOutputMbs,
                                directRtt);
                    } else {
                        measure(new Relay(http, base, endpoint, scheduler), text, megabytes, roundTrips, relayMbs,
                                relayOutputMbs, relayRtt);
                    }
                }
            }
            report(directMbs, relayMbs, directOutputMbs, relayOutputMbs, directRtt, relayRtt);
        } finally {
            scheduler.shutdownNow();
            server.stop();
        }
    }

    private void measure(Path path, String text, int mb, int trips, List<Double> mbs, List<Double> outputMbs,
                         List<Long> rtts) throws Exception {
        try (path) {
            double rate = throughput(path, text, mb);
            double outputRate = outputThroughput(path, mb);
            long[] samples = latencies(path, trips);
            if (mbs != null) {
                mbs.add(rate);
                outputMbs.add(outputRate);
                for (long sample : samples) {
                    rtts.add(sample);
                }
            }
        }
    }

    /** Sends {@code mb} MB of text in pastes, at most {@link #WINDOW} in flight; MB/s of UTF-8 echoed. */
    private static double throughput(Path path, String text, int mb) throws InterruptedException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        long total = (long) mb * 1_000_000;
        int chunks = (int) Math.max(1, total / utf8.length);
        long start = System.nanoTime();
        for (int i = 0; i < chunks; i++) {
            path.window.acquire(path.units(text, utf8));
            path.send(text, utf8);
        }
        path.window.acquire(WINDOW);   // everything came back
        path.window.release(WINDOW);
        double seconds = (System.nanoTime() - start) / 1e9;
        return (double) chunks * utf8.length / 1e6 / seconds;
    }

    /** The guest's output alone: {@code mb} MB in whole copies of the text, after one request. */
    private static double outputThroughput(Path path, int mb) throws InterruptedException {
        int copies = (int) Math.max(FLOOD_COPIES_PER_FRAME, (long) mb * 1_000_000 / TEXT_UTF8.length);
        copies -= copies % FLOOD_COPIES_PER_FRAME;
        path.window.acquire(WINDOW);   // nothing else in flight: what comes now is the output
        long start = System.nanoTime();
        path.requestOutput(copies);
        path.window.acquire(path.units(TEXT, TEXT_UTF8) * copies);
        double seconds = (System.nanoTime() - start) / 1e9;
        path.window.release(WINDOW);
        return (double) copies * TEXT_UTF8.length / 1e6 / seconds;
    }

    /** One key at a time: the time from sending it to seeing its echo. */
    private static long[] latencies(Path path, int trips) throws InterruptedException {
        long[] samples = new long[trips];
        byte[] key = {'x'};
        for (int i = 0; i < trips; i++) {
            long start = System.nanoTime();
            path.window.acquire(1);
            path.send("x", key);
            path.window.acquire(WINDOW);
            samples[i] = System.nanoTime() - start;
            path.window.release(WINDOW);
        }
        return samples;
    }

    private static byte[] flood() {
        byte[] frame = new byte[FLOOD_COPIES_PER_FRAME * TEXT_UTF8.length];
        for (int i = 0; i < FLOOD_COPIES_PER_FRAME; i++) {
            System.arraycopy(TEXT_UTF8, 0, frame, i * TEXT_UTF8.length, TEXT_UTF8.length);
        }
        return frame;
    }

    /** Terminal-like text: lines of ASCII with Danish letters and a euro sign, one paste long. */
    private static String payload() {
        StringBuilder text = new StringBuilder();
        String line = "drwxr-xr-x 2 ucloud ucloud 4096 Dec  6 22:00 blåbærgrød-€-data\r\n";
        while (text.length() + line.length() <= CHUNK_CHARS) {
            text.append(line);
        }
        return text.toString();
    }

    private void report(List<Double> directMbs, List<Double> relayMbs, List<Double> directOutputMbs,
                        List<Double> relayOutputMbs, List<Long> directRtt, List<Long> relayRtt) {
        double direct = directMbs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double relay = relayMbs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double directOutput = directOutputMbs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double relayOutput = relayOutputMbs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double directMedian = percentile(directRtt, 50);
        double relayMedian = percentile(relayRtt, 50);
        double directP99 = percentile(directRtt, 99);
        double relayP99 = percentile(relayRtt, 99);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %14s %14s %12s%n", "", "direct", "shell relay", "relay/direct");
        System.out.printf(Locale.ROOT, "%-34s %14.1f %14.1f %11.0f %%%n", "throughput, MB/s (best round)", direct,
                relay, 100 * relay / direct);
        System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "  rounds, MB/s", format(directMbs), format(relayMbs));
        System.out.printf(Locale.ROOT, "%-34s %14.1f %14.1f %11.0f %%%n", "output only, MB/s (best round)",
                directOutput, relayOutput, 100 * relayOutput / directOutput);
        System.out.printf(Locale.ROOT, "%-34s %14s %14s%n", "  rounds, MB/s", format(directOutputMbs),
                format(relayOutputMbs));
        System.out.printf(Locale.ROOT, "%-34s %14.3f %14.3f %+11.3f ms%n", "round trip median, ms", directMedian,
                relayMedian, relayMedian - directMedian);
        System.out.printf(Locale.ROOT, "%-34s %14.3f %14.3f %+11.3f ms%n", "round trip p99, ms", directP99, relayP99,
                relayP99 - directP99);
        System.out.println();
        boolean throughputMet = relay >= 0.8 * direct;
        boolean outputMet = relayOutput >= 0.8 * directOutput;
        boolean latencyMet = relayMedian - directMedian < 1.0;
        System.out.printf(Locale.ROOT, "target: relay throughput >= 80 %% of direct: %s (%.0f %%)%n",
                throughputMet ? "met" : "MISSED", 100 * relay / direct);
        System.out.printf(Locale.ROOT, "        (output only: %s, %.0f %%)%n", outputMet ? "met" : "missed",
                100 * relayOutput / directOutput);
        System.out.printf(Locale.ROOT, "target: added median round trip < 1 ms: %s (%+.3f ms)%n",
                latencyMet ? "met" : "MISSED", relayMedian - directMedian);
    }

    private static String format(List<Double> values) {
        return String.join("/", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    private static double percentile(List<Long> nanos, int percent) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.min(sorted.length - 1, Math.ceil(percent / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /**
     * One side: sends text, and releases {@link #window} units as the echo comes back (bytes on the direct side,
     * characters on the relay's, which sees text).
     */
    private abstract static class Path implements AutoCloseable {
        final Semaphore window = new Semaphore(WINDOW);

        abstract int units(String text, byte[] utf8);

        abstract void send(String text, byte[] utf8);

        /** Asks the far side for copies of the text, without echo. */
        abstract void requestOutput(int copies);
    }

    /** The floor: a bare websocket echo over the same kind of connection as the relay's. */
    private static final class Direct extends Path {
        private final WsContext connection;
        private final TtyEndpoint endpoint;

        Direct(HttpClient http, String base, TtyEndpoint endpoint) {
            this.endpoint = endpoint;
            CompletableFuture<WsContext> connected = endpoint.expect(bytes -> window.release(bytes.remaining()));
            new BinaryEchoPeer(http, base + "/tty");
            connection = connected.join();
        }

        @Override
        void requestOutput(int copies) {
            connection.send(FLOOD_REQUEST + copies);
        }

        @Override
        int units(String text, byte[] utf8) {
            return utf8.length;
        }

        @Override
        void send(String text, byte[] utf8) {
            connection.send(ByteBuffer.wrap(utf8));
        }

        @Override
        public void close() {
            endpoint.forget(connection.sessionId());
            connection.closeSession(1000, "");
        }
    }

    /** The shell relay, with a loopback websocket as the agent's TTY connection. */
    private static final class Relay extends Path implements TerminalOutput {
        private final Shells shells;
        private final TerminalSession session;

        Relay(HttpClient http, String base, TtyEndpoint endpoint, ScheduledExecutorService scheduler) {
            GuestTtys agent = new GuestTtys() {
                @Override
                public CompletableFuture<GuestTty> open(String jobId, TerminalSize size, Duration timeout,
                                                        GuestTtyListener listener) {
                    CompletableFuture<WsContext> connection = endpoint.expect(listener::output);
                    new EchoAgent(http, base + "/tty");
                    return connection.thenApply(ctx -> new ServerTty(ctx, endpoint));
                }

                @Override
                public boolean isConnected(String jobId) {
                    return true;
                }
            };
            SerialConsoles noConsole = (vmi, listener) -> CompletableFuture.failedFuture(
                    new IllegalStateException("the benchmark's agent always answers"));
            shells = new Shells(agent, noConsole, scheduler, Duration.ofSeconds(5));
            session = shells.open("bench", "vm-bench-0", new TerminalSize(80, 24), this);
        }

        @Override
        int units(String text, byte[] utf8) {
            return text.length();
        }

        @Override
        void send(String text, byte[] utf8) {
            session.input(text);
        }

        @Override
        void requestOutput(int copies) {
            session.input(FLOOD_REQUEST + copies);
        }

        @Override
        public void data(String text) {
            window.release(text.length());
        }

        @Override
        public void closed(String reason) {
            throw new IllegalStateException("the benchmark's shell ended: " + reason);
        }

        @Override
        public void close() {
            session.close();
            shells.close();
        }
    }

    /** The IM's end of the TTY connections: each connection that comes is the TTY the relay expects. */
    private static final class TtyEndpoint {
        private final Map<String, Consumer<ByteBuffer>> sinks = new ConcurrentHashMap<>();
        private final AtomicReference<Expected> expected = new AtomicReference<>();

        private record Expected(Consumer<ByteBuffer> sink, CompletableFuture<WsContext> connection) {
        }

        /** The next connection: its binary frames go to the sink. */
        CompletableFuture<WsContext> expect(Consumer<ByteBuffer> sink) {
            CompletableFuture<WsContext> connection = new CompletableFuture<>();
            expected.set(new Expected(sink, connection));
            return connection;
        }

        void connected(WsConnectContext ctx) {
            Expected next = expected.getAndSet(null);
            sinks.put(ctx.sessionId(), next.sink());
            next.connection().complete(ctx);
        }

        void output(String sessionId, ByteBuffer bytes) {
            sinks.get(sessionId).accept(bytes);
        }

        void forget(String sessionId) {
            sinks.remove(sessionId);
        }
    }

    /** A TTY as the IM holds it: the server side of the agent's connection, framed as the protocol says. */
    private static final class ServerTty implements GuestTty {
        private final WsContext ctx;
        private final TtyEndpoint endpoint;

        ServerTty(WsContext ctx, TtyEndpoint endpoint) {
            this.ctx = ctx;
            this.endpoint = endpoint;
        }

        @Override
        public void input(String data) {
            ctx.send(JSON.writeValueAsString(Map.of("type", "input", "data", data)));
        }

        @Override
        public void resize(TerminalSize size) {
            ctx.send(JSON.writeValueAsString(Map.of("type", "resize", "cols", size.cols(), "rows", size.rows())));
        }

        @Override
        public void close() {
            endpoint.forget(ctx.sessionId());
            ctx.closeSession(1000, "");
        }
    }

    /**
     * The far end of the direct echo: dials the same endpoint, echoes binary frames as they are, and answers a
     * text request {@code <FLOOD_REQUEST><copies>} with copies of the text in binary frames.
     */
    private static final class BinaryEchoPeer implements WebSocket.Listener {
        private CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(null);
        private final StringBuilder request = new StringBuilder();

        BinaryEchoPeer(HttpClient http, String uri) {
            http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(uri), this)
                    .join();
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            sent = sent.thenCompose(previous -> ws.sendBinary(copy, last));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            request.append(data);
            if (last) {
                int copies = Integer.parseInt(request.substring(FLOOD_REQUEST.length()));
                request.setLength(0);
                for (int i = 0; i < copies / FLOOD_COPIES_PER_FRAME; i++) {
                    sent = sent.thenCompose(previous -> ws.sendBinary(ByteBuffer.wrap(FLOOD_FRAME), true));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            sent.join();
            return ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }

    /**
     * The guest's side: dials the TTY endpoint, reads {@code input} frames and writes their text back as output
     * bytes in binary frames of at most {@link #MAX_OUTPUT_FRAME}, as a PTY that echoes would.
     */
    private static final class EchoAgent implements WebSocket.Listener {
        private final StringBuilder frame = new StringBuilder();
        private CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(null);

        EchoAgent(HttpClient http, String uri) {
            http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(uri), this)
                    .join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                JsonNode input = JSON.readTree(frame.toString());
                frame.setLength(0);
                String keys = input.path("data").asString();
                if (keys.startsWith(FLOOD_REQUEST)) {
                    int copies = Integer.parseInt(keys.substring(FLOOD_REQUEST.length()));
                    for (int i = 0; i < copies / FLOOD_COPIES_PER_FRAME; i++) {
                        sent = sent.thenCompose(previous -> ws.sendBinary(ByteBuffer.wrap(FLOOD_FRAME), true));
                    }
                } else if ("input".equals(input.path("type").asString())) {
                    byte[] bytes = keys.getBytes(StandardCharsets.UTF_8);
                    for (int at = 0; at < bytes.length; at += MAX_OUTPUT_FRAME) {
                        ByteBuffer piece = ByteBuffer.wrap(bytes, at, Math.min(MAX_OUTPUT_FRAME, bytes.length - at));
                        sent = sent.thenCompose(previous -> ws.sendBinary(piece, true));
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            sent.join();
            return ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }
}
