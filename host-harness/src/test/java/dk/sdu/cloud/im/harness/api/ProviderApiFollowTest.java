package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.auth.GatewayAuthenticator;
import dk.sdu.cloud.im.harness.auth.StaticTokenAuthenticator;
import dk.sdu.cloud.im.harness.client.GatewayCredentials;
import dk.sdu.cloud.im.harness.client.StaticTokenCredentials;
import dk.sdu.cloud.im.harness.follow.FollowSocket;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.TestWebSocket;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.PROVIDER;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.JSON;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follow websocket through the provider API's server: Core's credentials in the upgrade request (refused
 * before the upgrade with a JSON 401 in every mode), {@code ucloud-no-bearer} in the answer, and the stream in
 * UCloud's shape end to end.
 */
class ProviderApiFollowTest {
    private static final String SOCKET = "/ucloud/jobs.provider." + PROVIDER + "/websocket";
    private static final String CALL = "jobs.provider." + PROVIDER + ".follow";
    private static final String GATEWAY_SECRET = "gateway-secret-77a1";
    private static final String STATIC_TOKEN = "harness-token-3c1d";

    @TempDir
    Path dir;
    private final ManualDelayTimer timer = new ManualDelayTimer();
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private RecordingBackend jwtWithJob() {
        RecordingBackend backend = new RecordingBackend();
        api = ApiFixture.start(dir, backend, Clock.systemUTC(), timer, List.of());
        assertThat(api.post(JOBS, bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
        return backend;
    }

    private static String init(String jobId) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("call", CALL);
        frame.put("streamId", "s1");
        frame.putObject("payload").put("type", "init").set("job", vmJob(jobId));
        frame.put("bearer", "");
        frame.putNull("project");
        return JSON.writeValueAsString(frame);
    }

    @Test
    void coreFollowsAJobAndCancels() throws Exception {
        RecordingBackend backend = jwtWithJob();

        try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET), ApiFixture.CREDENTIALS.headers())) {
            socket.send(init("4242"));
            JsonNode first = JSON.readTree(socket.next());
            assertThat(first.path("type").asString()).isEqualTo("message");
            assertThat(first.path("streamId").asString()).isEqualTo("s1");
            assertThat(first.path("payload").path("stdout").asString()).isEqualTo(RecordingBackend.FOLLOW_GREETING);
            String session = first.path("payload").path("streamId").asString();
            assertThat(backend.calls()).contains("follow 4242 0");

            backend.emit(FollowMessage.onChannel(0, "utilization-data", "{\"cpu\":1}"));
            JsonNode sample = JSON.readTree(socket.next());
            assertThat(sample.path("payload").toString()).isEqualTo("{\"streamId\":\"" + session
                    + "\",\"rank\":0,\"stdout\":\"{\\\"cpu\\\":1}\",\"stderr\":null,\"channel\":\"utilization-data\"}");

            // The ping is scheduled once the backend's session is open, which may be after its first message.
            org.awaitility.Awaitility.await().atMost(ApiFixture.DEADLINE)
                    .until(() -> timer.delays().contains(FollowSocket.PING_INTERVAL));
            timer.fire();
            assertThat(socket.next()).isEqualTo("{\"ping\":\"pong\"}");

            socket.send("{\"call\": \"" + CALL + "\", \"streamId\": \"s1\", \"payload\": {\"type\": \"cancel\", "
                    + "\"streamId\": \"" + session + "\"}}");
            JsonNode response = JSON.readTree(socket.next());
            assertThat(response.path("type").asString()).isEqualTo("response");
            assertThat(response.path("status").asInt()).isEqualTo(200);
            assertThat(response.path("streamId").asString()).isEqualTo("s1");
            assertThat(socket.awaitClose().code()).isEqualTo(1000);
            assertThat(backend.awaitFollowClosed(30)).isTrue();
        }
    }

    @Test
    void theUpgradeAnswerSaysNoBearer() {
        jwtWithJob();
        Upgrade answer = upgrade(ApiFixture.CREDENTIALS.headers());
        assertThat(answer.status()).isEqualTo(101);
        assertThat(answer.headers()).containsEntry("ucloud-no-bearer", "true");
    }

    @Test
    void anUnknownJobIs404() {
        jwtWithJob();
        try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET), ApiFixture.CREDENTIALS.headers())) {
            socket.send(init("9999"));
            JsonNode error = JSON.readTree(socket.next());
            assertThat(error.path("status").asInt()).isEqualTo(404);
            assertThat(error.path("payload").path("why").asString()).contains("9999");
            assertThat(socket.awaitClose().code()).isEqualTo(FollowSocket.NOT_FOUND);
        }
    }

    @Test
    void aBadFirstFrameIs400() {
        RecordingBackend backend = jwtWithJob();
        try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET), ApiFixture.CREDENTIALS.headers())) {
            socket.send(init("4242").replace(CALL, "jobs.compute." + PROVIDER + ".shell.open"));
            JsonNode error = JSON.readTree(socket.next());
            assertThat(error.path("status").asInt()).isEqualTo(400);
            assertThat(error.path("payload").path("why").asString()).isEqualTo("'call' must be '" + CALL + "'");
            assertThat(socket.awaitClose().code()).isEqualTo(FollowSocket.PROTOCOL_ERROR);
        }
        assertThat(backend.calls("follow")).isEmpty();
    }

    @Test
    void aPluginRouteAtTheFollowPathIsRefusedNamingBoth(@TempDir Path other) {
        dk.sdu.cloud.im.spi.socket.WebSocketRoute route = new dk.sdu.cloud.im.spi.socket.WebSocketRoute(1, SOCKET, 1024,
                connection -> {
                    throw new AssertionError("never served");
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiFixture.start(other, new RecordingBackend(),
                        Clock.systemUTC(), timer,
                        List.of(new dk.sdu.cloud.im.harness.sockets.NamedRoute("compute backend Greedy", route))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two websocket routes at port 1, path " + SOCKET
                        + ": the provider API's follow stream and compute backend Greedy");
    }

    // Refusals: 401 with a JSON why, before the upgrade, nothing followed.

    @Test
    void withoutCredentialsTheUpgradeIs401InModeJwt() {
        RecordingBackend backend = jwtWithJob();
        assertRefused(upgrade(Map.of()), backend);
    }

    @Test
    void aWrongTokenIs401InModeJwt() {
        RecordingBackend backend = jwtWithJob();
        assertRefused(upgrade(Map.of("Authorization", "Bearer not-a-jwt")), backend);
    }

    @Test
    void aWrongSecretIs401InModeGateway() {
        api = ApiFixture.start(dir, new GatewayAuthenticator(GATEWAY_SECRET));
        assertRefused(upgrade(new GatewayCredentials(GATEWAY_SECRET + "x", Clock.systemUTC()).headers()),
                api.backend);
    }

    @Test
    void theGatewaysSecretIsAcceptedInModeGateway() {
        api = ApiFixture.start(dir, new GatewayAuthenticator(GATEWAY_SECRET));
        Upgrade answer = upgrade(new GatewayCredentials(GATEWAY_SECRET, Clock.systemUTC()).headers());
        assertThat(answer.status()).isEqualTo(101);
    }

    @Test
    void aWrongTokenIs401InModeToken() {
        api = ApiFixture.start(dir, new StaticTokenAuthenticator(STATIC_TOKEN));
        assertRefused(upgrade(new StaticTokenCredentials(STATIC_TOKEN + "x").headers()), api.backend);
        assertThat(upgrade(new StaticTokenCredentials(STATIC_TOKEN).headers()).status()).isEqualTo(101);
    }

    private void assertRefused(Upgrade answer, RecordingBackend backend) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertThat(answer.headers().getOrDefault("content-type", "")).startsWith("application/json");
        assertThat(JSON.readTree(answer.body()).path("why").asString()).isNotBlank();
        assertThat(answer.headers()).doesNotContainKey("ucloud-no-bearer");
        assertThat(backend.calls("follow")).isEmpty();
    }

    /** What a websocket upgrade request was answered with. */
    private record Upgrade(int status, Map<String, String> headers, String body) {
    }

    /** A websocket upgrade request over a plain socket: the JDK's client shows neither a refusal's body nor headers. */
    private Upgrade upgrade(Map<String, String> headers) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", api.port), 30_000);
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("GET " + SOCKET + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(api.port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Upgrade read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("the connection ended within the answer's head: " + bytes);
            }
            bytes.write(b);
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).strip().split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        return new Upgrade(status, headers, body);
    }
}
