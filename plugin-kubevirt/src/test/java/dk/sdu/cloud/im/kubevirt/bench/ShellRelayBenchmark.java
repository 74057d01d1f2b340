package dk.sdu.cloud.im.kubevirt.bench;

import dk.sdu.cloud.im.kubevirt.admission.VmJobNames;
import dk.sdu.cloud.im.kubevirt.agent.AgentComponents;
import dk.sdu.cloud.im.kubevirt.agent.AgentEndpoint;
import dk.sdu.cloud.im.kubevirt.agent.AgentRoutes;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtyListener;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRenderer;
import dk.sdu.cloud.im.kubevirt.cloudinit.CloudInitRequest;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobObjectsFactory;
import dk.sdu.cloud.im.kubevirt.shell.SerialConsoles;
import dk.sdu.cloud.im.kubevirt.shell.Shells;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The shell relay against the floor of a bare websocket: throughput (MB/s of echoed terminal text) and
 * round-trip latency (median, p99) of
 * <ol>
 *   <li><b>direct</b>: the floor: a loopback websocket laid out as the relay's (a Javalin server serving a
 *       {@link WebSocketHandler} the way the host serves plugins' routes, where the IM is, and a JDK client,
 *       where the agent is), binary frames both ways, echoed by the client;</li>
 *   <li><b>relay</b>: the same echo through a shell, laid out as in the IM: {@link TerminalSession#input} to the
 *       real {@link AgentEndpoint} (its TTY route served on the same server the same way; the agent's tokens in
 *       a job's cloud-init Secret on an embedded API server, read once at the agent's {@code hello}), keys as
 *       binary frames to an echo "agent" (a JDK websocket client that dials the control and TTY routes as the
 *       agent does, with heartbeats, {@code tty} and the token of each {@code openTty}) that writes the bytes
 *       back as output frames of at most 32 KiB, as a PTY that echoes would, back through the endpoint's
 *       {@link GuestTtyListener}, the relay's UTF-8 decoding and locking, to {@link TerminalOutput#data}.</li>
 * </ol>
 * The guest's output alone is measured too: the guest writes N copies of the text (binary frames of at most
 * 32 KiB) after one request, and the time until the user side has them all is compared with the same stream
 * from a bare websocket. The text is terminal-like, mostly ASCII with two- and three-byte characters. The sides
 * alternate over rounds (the JIT favours whichever runs later); throughput is the best round of each, latency
 * is over all round trips of a side. Target: the relay keeps >= 80 % of the direct throughput and adds < 1 ms
 * to the median round trip. A program, not a test: {@code scripts/bench shell}.
 */
public final class ShellRelayBenchmark {
    private static final int CHUNK_CHARS = 8 * 1024;       // one paste, one input frame
    private static final int WINDOW = 1024 * 1024;         // text in flight at most (both sides)
    private static final int MAX_OUTPUT_FRAME = 32 * 1024; // the agent's largest output frame
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JOB = "bench";
    private static final String AGENT_PATH = "/api/vmagent";
    private static final String DIRECT_PATH = "/direct";
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

    /** A loopback server serving the routes as the host serves plugins' routes (bounded frames). */
    private static Javalin server(List<WebSocketRoute> routes) {
        return Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.startup.showJavalinBanner = false;
            for (WebSocketRoute route : routes) {
                HostRoute.serve(config, route);
            }
        }).start();
    }

    private void run() throws Exception {
        DirectEndpoint direct = new DirectEndpoint();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        HttpClient http = HttpClient.newHttpClient();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
             KubernetesClient client = cluster.newClient()) {
            String namespace = "bench";
            AgentTokens tokens = new AgentTokens("agent-token-bench-aaaaaaaaaaaaaaaaaaaaaaaa",
                    "server-token-bench-aaaaaaaaaaaaaaaaaaaaaaa");
            secretFor(client, namespace, tokens);
            SshKeyDirectory noKeys = jobId -> List.of();
            JobUpdates noUpdates = (jobId, update) -> { };
            try (AgentEndpoint agents = AgentComponents.standard().open(new AgentComponents.Services(client, namespace,
                    noKeys, noUpdates, Clock.systemUTC()))) {
                List<WebSocketRoute> routes = new ArrayList<>(AgentRoutes.of("ws://127.0.0.1:1" + AGENT_PATH, agents));
                routes.add(new WebSocketRoute(1, DIRECT_PATH, AgentEndpoint.MAX_FRAME_BYTES, direct));
                Javalin server = server(routes);
                String base = "ws://127.0.0.1:" + server.port();
                try (EchoAgent agent = EchoAgent.connect(http, base + AGENT_PATH, tokens.agentToken(), scheduler)) {
                    awaitConnected(agents);
                    measureAll(http, base, direct, agents, scheduler);
                } finally {
                    server.stop();
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    private void measureAll(HttpClient http, String base, DirectEndpoint direct, GuestTtys agents,
                            ScheduledExecutorService scheduler) throws Exception {
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
        measure(new Direct(http, base, direct), text, Math.max(1, megabytes / 4), roundTrips / 4, null, null, null);
        measure(new Relay(agents, scheduler), text, Math.max(1, megabytes / 4), roundTrips / 4, null, null, null);
        for (int round = 0; round < rounds; round++) {
            boolean directFirst = round % 2 == 0;
            for (int side = 0; side < 2; side++) {
                if ((side == 0) == directFirst) {
                    measure(new Direct(http, base, direct), text, megabytes, roundTrips, directMbs, directOutputMbs,
                            directRtt);
                } else {
                    measure(new Relay(agents, scheduler), text, megabytes, roundTrips, relayMbs, relayOutputMbs,
                            relayRtt);
                }
            }
        }
        report(directMbs, relayMbs, directOutputMbs, relayOutputMbs, directRtt, relayRtt);
    }

    /** The job's cloud-init Secret, where the endpoint reads the agent's tokens (as the plugin writes it). */
    private static void secretFor(KubernetesClient client, String namespace, AgentTokens tokens) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
        String userData = new CloudInitRenderer().render(new CloudInitRequest(JOB, "j-" + JOB,
                "ws://127.0.0.1:1" + AGENT_PATH, tokens, List.of(), List.of())).userData();
        client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                .withNewMetadata().withName(new VmJobNames(JOB).cloudInitSecret()).endMetadata()
                .addToData(VmJobObjectsFactory.USER_DATA_KEY,
                        Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    private static void awaitConnected(GuestTtys agents) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!agents.isConnected(JOB)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the echo agent was not welcomed within 30 s");
            }
            Thread.sleep(10);
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
        private final WebSocketConnection connection;

        Direct(HttpClient http, String base, DirectEndpoint endpoint) {
            CompletableFuture<WebSocketConnection> connected = endpoint.expect(bytes -> window.release(bytes.remaining()));
            new BinaryEchoPeer(http, base + DIRECT_PATH);
            connection = connected.join();
        }

        @Override
        void requestOutput(int copies) {
            connection.sendText(FLOOD_REQUEST + copies);
        }

        @Override
        int units(String text, byte[] utf8) {
            return utf8.length;
        }

        @Override
        void send(String text, byte[] utf8) {
            connection.sendBinary(ByteBuffer.wrap(utf8));
        }

        @Override
        public void close() {
            connection.close(1000, "");
        }
    }

    /** The shell relay through the real agent endpoint, to the echo agent. */
    private static final class Relay extends Path implements TerminalOutput {
        private final Shells shells;
        private final TerminalSession session;

        Relay(GuestTtys agents, ScheduledExecutorService scheduler) {
            SerialConsoles noConsole = (vmi, listener) -> CompletableFuture.failedFuture(
                    new IllegalStateException("the benchmark's agent always answers"));
            shells = new Shells(agents, noConsole, scheduler, Duration.ofSeconds(10));
            session = shells.open(JOB, "vm-bench-0", new TerminalSize(80, 24), this);
            // Keys typed before the agent answered are kept only up to a bound: the first key's echo says the
            // TTY is open.
            try {
                window.acquire(WINDOW);
                session.input("x");
                window.acquire(1);
                window.release(WINDOW);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
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
            System.err.println("the benchmark's shell ended: " + reason);
            throw new IllegalStateException("the benchmark's shell ended: " + reason);
        }

        @Override
        public void close() {
            session.close();
            shells.close();
        }
    }

    /** The server's end of the direct echo: each connection that comes is the one the next side expects. */
    private static final class DirectEndpoint implements WebSocketHandler {
        private final AtomicReference<Expected> expected = new AtomicReference<>();

        private record Expected(Consumer<ByteBuffer> sink, CompletableFuture<WebSocketConnection> connection) {
        }

        /** The next connection: its binary frames go to the sink. */
        CompletableFuture<WebSocketConnection> expect(Consumer<ByteBuffer> sink) {
            CompletableFuture<WebSocketConnection> connection = new CompletableFuture<>();
            expected.set(new Expected(sink, connection));
            return connection;
        }

        @Override
        public WebSocketListener open(WebSocketConnection connection) {
            Expected next = expected.getAndSet(null);
            next.connection().complete(connection);
            return new WebSocketListener() {
                @Override
                public void onText(String text) {
                }

                @Override
                public void onBinary(ByteBuffer data) {
                    next.sink().accept(data);
                }

                @Override
                public void onClose(int code, String reason) {
                }
            };
        }
    }

    /**
     * A route served on Javalin as the host serves a plugin's (host-harness {@code JavalinWebSockets} and
     * {@code JettyConnection}, which the plugin's tests cannot name): the route's frame limit is Jetty's, each
     * upgrade is handed to the handler, sends are serialized and a binary send copies its buffer.
     */
    private static final class HostRoute {
        static void serve(JavalinConfig config, WebSocketRoute route) {
            Map<String, WebSocketListener> live = new ConcurrentHashMap<>();
            config.routes.ws(route.path(), ws -> {
                ws.onConnect(ctx -> {
                    ctx.session.setMaxTextMessageSize(route.maxFrameBytes());
                    ctx.session.setMaxBinaryMessageSize(route.maxFrameBytes());
                    ctx.session.setMaxFrameSize(route.maxFrameBytes());
                    live.put(ctx.sessionId(), route.handler().open(new Connection(ctx)));
                });
                ws.onMessage(ctx -> live.get(ctx.sessionId()).onText(ctx.message()));
                ws.onBinaryMessage(ctx -> live.get(ctx.sessionId()).onBinary(ctx.data()));
                ws.onClose(ctx -> {
                    WebSocketListener listener = live.remove(ctx.sessionId());
                    if (listener != null) {
                        listener.onClose(ctx.status(), ctx.reason() == null ? "" : ctx.reason());
                    }
                });
            });
        }

        private record Connection(WsContext ctx) implements WebSocketConnection {
            @Override
            public String remoteAddress() {
                return "127.0.0.1:0";
            }

            @Override
            public void sendText(String text) {
                synchronized (this) {
                    if (ctx.session.isOpen()) {
                        ctx.send(text);
                    }
                }
            }

            @Override
            public void sendBinary(ByteBuffer data) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
                synchronized (this) {
                    if (ctx.session.isOpen()) {
                        ctx.send(copy);
                    }
                }
            }

            @Override
            public void close(int code, String reason) {
                if (ctx.session.isOpen()) {
                    ctx.closeSession(code, reason);
                }
            }

            @Override
            public boolean isOpen() {
                return ctx.session.isOpen();
            }
        }
    }

    /**
     * The far end of the direct echo: dials the same server, echoes binary frames as they are, and answers a
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
                flood(ws, copies);
            }
            ws.request(1);
            return null;
        }

        private void flood(WebSocket ws, int copies) {
            for (int i = 0; i < copies / FLOOD_COPIES_PER_FRAME; i++) {
                sent = sent.thenCompose(previous -> ws.sendBinary(ByteBuffer.wrap(FLOOD_FRAME), true));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            sent.join();
            return ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }

    /**
     * The guest's agent, as far as the relay sees it: a control connection ({@code hello} with the job's token,
     * a heartbeat every second) that dials a TTY connection for each {@code openTty}.
     */
    private static final class EchoAgent implements WebSocket.Listener, AutoCloseable {
        private final HttpClient http;
        private final String endpoint;
        private final StringBuilder frame = new StringBuilder();
        private final ScheduledFuture<?> heartbeats;
        private final WebSocket control;
        private CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(null);

        private EchoAgent(HttpClient http, String endpoint, String token, ScheduledExecutorService scheduler) {
            this.http = http;
            this.endpoint = endpoint;
            control = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(endpoint), this).join();
            send(JSON.createObjectNode().put("type", "hello").put("jobId", JOB).put("token", token)
                    .put("agentVersion", "bench").put("startId", "bench-start").toString());
            heartbeats = scheduler.scheduleAtFixedRate(() -> send("{\"type\": \"heartbeat\"}"), 1, 1, TimeUnit.SECONDS);
        }

        static EchoAgent connect(HttpClient http, String endpoint, String token, ScheduledExecutorService scheduler) {
            return new EchoAgent(http, endpoint, token, scheduler);
        }

        private synchronized void send(String text) {
            sent = sent.thenCompose(previous -> control.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                JsonNode message = JSON.readTree(frame.toString());
                frame.setLength(0);
                if ("openTty".equals(message.path("type").asString())) {
                    new EchoTty(http, endpoint + "/tty", message.path("token").asString());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            heartbeats.cancel(false);
            synchronized (this) {
                sent = sent.thenCompose(previous -> control.sendClose(WebSocket.NORMAL_CLOSURE, "bench over"));
            }
        }
    }

    /**
     * One TTY connection of the echo agent: {@code tty} with the token, then, once {@code initialize} came, the
     * keys' bytes (binary frames) back as output frames of at most {@link #MAX_OUTPUT_FRAME}, as a PTY that
     * echoes would; a {@code <FLOOD_REQUEST><copies>} key answers with copies of the text instead.
     */
    private static final class EchoTty implements WebSocket.Listener {
        private static final byte[] FLOOD_PREFIX = FLOOD_REQUEST.getBytes(StandardCharsets.UTF_8);
        private final String token;
        private final StringBuilder frame = new StringBuilder();
        private CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(null);

        EchoTty(HttpClient http, String uri, String token) {
            this.token = token;
            http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(uri), this);
        }

        @Override
        public void onOpen(WebSocket ws) {
            sent = ws.sendText(JSON.createObjectNode().put("type", "tty").put("jobId", JOB).put("token", token)
                    .toString(), true);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);   // ready, initialize, resize: nothing to do for an echo
            if (last) {
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer keys, boolean last) {
            if (isFloodRequest(keys)) {
                byte[] request = new byte[keys.remaining()];
                keys.get(request);
                int copies = Integer.parseInt(new String(request, StandardCharsets.UTF_8)
                        .substring(FLOOD_REQUEST.length()));
                for (int i = 0; i < copies / FLOOD_COPIES_PER_FRAME; i++) {
                    sent = sent.thenCompose(previous -> ws.sendBinary(ByteBuffer.wrap(FLOOD_FRAME), true));
                }
            } else {
                // The PTY's part: the keys are copied out of the JDK's buffer (valid only during this call) and
                // read back in pieces of at most 32 KiB.
                while (keys.hasRemaining()) {
                    byte[] piece = new byte[Math.min(MAX_OUTPUT_FRAME, keys.remaining())];
                    keys.get(piece);
                    sent = sent.thenCompose(previous -> ws.sendBinary(ByteBuffer.wrap(piece), true));
                }
            }
            ws.request(1);
            return null;
        }

        private static boolean isFloodRequest(ByteBuffer keys) {
            if (keys.remaining() <= FLOOD_PREFIX.length) {
                return false;
            }
            for (int i = 0; i < FLOOD_PREFIX.length; i++) {
                if (keys.get(keys.position() + i) != FLOOD_PREFIX[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            sent.join();
            return ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
    }
}
