package dk.sdu.cloud.im.harness.web;

import dk.sdu.cloud.im.testdata.RefusingPort;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links' proxy against stand-in targets on loopback: keep-alive connections routed per request by their own
 * {@code Host}, a chunked upload streamed through, websocket close codes relayed both ways, and its JSON errors.
 */
class LinkProxyTest {
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    private static final String BLUE = "app-blue.apps.example.org";
    private static final String GREEN = "app-green.apps.example.org";

    private final List<Javalin> targets = new ArrayList<>();
    private final Map<String, LinkRoute> routes = new HashMap<>();
    private final BlockingQueue<String> targetSawClose = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private LinkProxy proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        targets.forEach(Javalin::stop);
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        background.shutdownNow();
    }

    @Test
    void twoRequestsOnOneConnectionGoEachWhereItsOwnHostSays() throws IOException {
        routes.put(BLUE, LinkRoute.to(new InetSocketAddress("127.0.0.1", target("blue"))));
        routes.put(GREEN, LinkRoute.to(new InetSocketAddress("127.0.0.1", target("green"))));
        int port = startProxy();

        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            send(out, "GET /who?x=1 HTTP/1.1\r\nHost: " + BLUE + "\r\n\r\n");
            Response first = Response.read(in);
            send(out, "GET /who?x=2 HTTP/1.1\r\nHost: " + GREEN + ":8890\r\n\r\n");
            Response second = Response.read(in);

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("blue /who x=1 via " + BLUE + " for 127.0.0.1");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("green /who x=2 via " + GREEN + ":8890 for 127.0.0.1");
            assertThat(first.head() + second.head()).doesNotContainIgnoringCase("Connection: close");
        }
    }

    @Test
    void aChunkedUploadIsStreamedToTheTargetBeforeItEnds() throws Exception {
        ServerSocket uploads = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closing.add(uploads);
        Future<String> seen = background.submit(() -> streamingTarget(uploads));
        routes.put(BLUE, LinkRoute.to(new InetSocketAddress("127.0.0.1", uploads.getLocalPort())));
        int port = startProxy();

        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            send(out, "POST /upload HTTP/1.1\r\nHost: " + BLUE + "\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n5\r\nfirst\r\n");
            // The target answers its first line as soon as it has read the first chunk: were the upload buffered
            // until its end, this read would wait for a chunk the test only sends after it.
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(readChunks(in, false)).isEqualTo("got first\n");
            send(out, "7\r\n second\r\n0\r\n\r\n");
            assertThat(readChunks(in, true)).isEqualTo("then  second, 12 bytes in all\n");
        }
        assertThat(seen.get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).startsWith("POST /upload HTTP/1.1")
                .containsIgnoringCase("X-Forwarded-Host: " + BLUE);
    }

    @Test
    void websocketFramesAndCloseCodesAreRelayedBothWays() throws Exception {
        routes.put(BLUE, LinkRoute.to(new InetSocketAddress("127.0.0.1", target("blue"))));
        int port = startProxy();

        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            upgrade(out);
            assertThat(readHead(in)).startsWith("HTTP/1.1 101").contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                    .containsIgnoringCase("Sec-WebSocket-Protocol: chat");
            assertThat(Frame.read(in).text()).isEqualTo("welcome blue");
            Frame.text("hello").writeMasked(out);
            assertThat(Frame.read(in).text()).isEqualTo("echo: hello");
            Frame.text("close me").writeMasked(out);
            Frame close = Frame.read(in);
            assertThat(close.opcode()).isEqualTo(8);
            assertThat(close.closeCode()).isEqualTo(4001);
            assertThat(close.closeReason()).isEqualTo("asked to");
        }
        assertThat(targetSawClose.poll(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)).isEqualTo("4001 asked to");

        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            upgrade(out);
            assertThat(readHead(in)).startsWith("HTTP/1.1 101");
            assertThat(Frame.read(in).text()).isEqualTo("welcome blue");
            Frame.close(4002, "visitor leaves").writeMasked(out);
            assertThat(targetSawClose.poll(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS))
                    .isEqualTo("4002 visitor leaves");
            Frame answer = Frame.read(in);
            assertThat(answer.opcode()).isEqualTo(8);
            assertThat(answer.closeCode()).isEqualTo(4002);
        }
    }

    @Test
    void aTargetRefusingTheConnectionIs502() throws IOException {
        RefusingPort refusing = RefusingPort.open();
        closing.add(refusing);
        routes.put(BLUE, LinkRoute.to(new InetSocketAddress("127.0.0.1", refusing.port())));
        int port = startProxy();

        Response answer = exchange(port, "GET / HTTP/1.1\r\nHost: " + BLUE + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer.body()).startsWith("{\"why\":\"the job behind " + BLUE + " does not accept connections")
                .endsWith("is its web server running?\"}");
    }

    @Test
    void unknownAndStoppedDomainsAreJson404And503() throws IOException {
        routes.put(GREEN, LinkRoute.unavailable("the machine of job 7 is not running"));
        int port = startProxy();

        Response unknown = exchange(port, "GET / HTTP/1.1\r\nHost: " + BLUE + "\r\n\r\n");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"why\":\"no route to " + BLUE + "\"}");
        Response stopped = exchange(port, "GET / HTTP/1.1\r\nHost: " + GREEN + "\r\n\r\n");
        assertThat(stopped.status()).isEqualTo(503);
        assertThat(stopped.body()).isEqualTo("{\"why\":\"the machine of job 7 is not running\"}");
    }

    @Test
    void aHeadOverTheLimitIsJson431() throws IOException {
        int port = startProxy();

        Response answer = exchange(port, "GET / HTTP/1.1\r\nHost: " + BLUE + "\r\nX-Big: "
                + "a".repeat(LinkProxy.MAX_HEAD_BYTES) + "\r\n\r\n");
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer.body()).contains("larger than the limit of " + LinkProxy.MAX_HEAD_BYTES + " bytes");
    }

    private int startProxy() throws IOException {
        proxy = new LinkProxy("127.0.0.1", 0, host -> routes.getOrDefault(host,
                LinkRoute.unknown("no route to " + host)));
        return proxy.start();
    }

    /** A target that says who it is and has a websocket. */
    private int target(String name) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.routes.get("/who", ctx -> ctx.result(name + " " + ctx.path() + " " + ctx.queryString() + " via "
                    + ctx.header("X-Forwarded-Host") + " for " + ctx.header("X-Forwarded-For")));
            config.routes.ws("/ws", ws -> {
                ws.onConnect(ctx -> ctx.send("welcome " + name));
                ws.onMessage(ctx -> {
                    if (ctx.message().equals("close me")) {
                        ctx.closeSession(4001, "asked to");
                    } else {
                        ctx.send("echo: " + ctx.message());
                    }
                });
                ws.onClose(ctx -> targetSawClose.add(ctx.status() + " " + ctx.reason()));
            });
        });
        app.start();
        targets.add(app);
        return app.port();
    }

    /**
     * A target that answers its first line once it has read the first five bytes of a chunked upload, and its second
     * when the upload ended: its answer can only begin if the proxy passed the upload on before the upload ended.
     * It works on the socket so that nothing between the proxy and it buffers. Returns the request head it got.
     */
    private static String streamingTarget(ServerSocket server) throws IOException {
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head = readHead(in);
            assertThat(head).containsIgnoringCase("Transfer-Encoding: chunked");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (body.size() < 5) {
                body.write(readChunk(in));
            }
            send(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk("got " + body.toString(StandardCharsets.UTF_8).substring(0, 5) + "\n"));
            byte[] more;
            while ((more = readChunk(in)).length > 0) {
                body.write(more);
            }
            String all = body.toString(StandardCharsets.UTF_8);
            send(out, chunk("then " + all.substring(5) + ", " + body.size() + " bytes in all\n") + "0\r\n\r\n");
            return head;
        }
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    /**
     * One chunk of a chunked body; empty at its end (the trailer's empty line read too). The line end after a chunk's
     * data is read with the next chunk: Jetty sends it only then.
     */
    private static byte[] readChunk(InputStream in) throws IOException {
        String size = rawLine(in);
        while (size.isEmpty()) {
            size = rawLine(in);
        }
        int length = Integer.parseInt(size.trim(), 16);
        if (length == 0) {
            rawLine(in);
            return new byte[0];
        }
        return in.readNBytes(length);
    }

    private static void upgrade(OutputStream out) throws IOException {
        send(out, "GET /ws HTTP/1.1\r\nHost: " + BLUE + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n\r\n");
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static Response exchange(int port, String request) throws IOException {
        try (Socket socket = connect(port)) {
            send(socket.getOutputStream(), request);
            return Response.read(socket.getInputStream());
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Chunks of a chunked body: up to the end of a line, or to the body's end. */
    private static String readChunks(InputStream in, boolean toTheEnd) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] chunk;
        while ((toTheEnd || !text.toString(StandardCharsets.UTF_8).endsWith("\n"))
                && (chunk = readChunk(in)).length > 0) {
            text.write(chunk);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static String rawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** One response, its body read by its Content-Length or its chunks (the connection stays open). */
    private record Response(String head, int status, String body) {
        static Response read(InputStream in) throws IOException {
            String head = readHead(in);
            int status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase(Locale.ROOT);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int length = lower.indexOf("content-length:");
            if (length >= 0) {
                int end = lower.indexOf("\r\n", length);
                body.write(in.readNBytes(Integer.parseInt(lower.substring(length + 15, end).trim())));
            } else if (lower.contains("transfer-encoding: chunked")) {
                body.write(readChunks(in, true).getBytes(StandardCharsets.UTF_8));
            }
            return new Response(head, status, body.toString(StandardCharsets.UTF_8));
        }
    }

    /** A websocket frame as the wire has it (short ones: under 126 bytes). */
    private record Frame(int opcode, byte[] payload) {
        static Frame text(String text) {
            return new Frame(1, text.getBytes(StandardCharsets.UTF_8));
        }

        static Frame close(int code, String reason) {
            byte[] why = reason.getBytes(StandardCharsets.UTF_8);
            return new Frame(8, ByteBuffer.allocate(2 + why.length).putShort((short) code).put(why).array());
        }

        static Frame read(InputStream in) throws IOException {
            int first = in.read();
            int length = in.read() & 0x7f;
            return new Frame(first & 0x0f, in.readNBytes(length));
        }

        String text() {
            assertThat(opcode).as("a text frame").isEqualTo(1);
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        /** Masked, as a client must send it. */
        void writeMasked(OutputStream out) throws IOException {
            byte[] mask = {1, 2, 3, 4};
            out.write(0x80 | opcode);
            out.write(0x80 | payload.length);
            out.write(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i % 4]);
            }
            out.flush();
        }
    }
}
