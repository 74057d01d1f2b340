package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.shell.ShellSessions;
import dk.sdu.cloud.im.harness.shell.ShellSocket;
import dk.sdu.cloud.im.harness.sockets.NamedRoute;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.harness.testing.TestWebSocket;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.PROVIDER;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.JSON;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The interactive shell in UCloud's shape: the interactiveSession call, then the websocket, to the job's backend. */
class ProviderApiShellTest {
    private static final String SESSIONS = JOBS + "/interactiveSession";
    private static final String SOCKET = "/ucloud/" + PROVIDER + "/websocket";
    private static final String CALL = "jobs.compute." + PROVIDER + ".shell.open";

    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T22:00:00Z"));
    private final ManualDelayTimer timer = new ManualDelayTimer();
    private RecordingBackend backend;
    private ApiFixture api;

    @BeforeEach
    void start() {
        backend = new RecordingBackend();
        api = ApiFixture.start(dir, backend, clock, timer, List.of());
        assertThat(api.post(JOBS, bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String sessionRequest(String jobId, int rank, String type) {
        ObjectNode item = JSON.createObjectNode();
        item.set("job", vmJob(jobId));
        item.put("rank", rank);
        item.put("sessionType", type);
        item.putNull("target");
        return bulk(item);
    }

    private String openSession(String jobId) {
        HttpResponse<String> response = api.post(SESSIONS, sessionRequest(jobId, 0, "SHELL"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("responses").path(0).path("sessionIdentifier").asString();
    }

    private static String initialize(String identifier, int cols, int rows) {
        return "{\"call\": \"" + CALL + "\", \"streamId\": \"7\", \"payload\": {\"type\": \"initialize\", "
                + "\"sessionIdentifier\": \"" + identifier + "\", \"cols\": " + cols + ", \"rows\": " + rows + "}}";
    }

    private static String input(String data) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("call", CALL);
        frame.put("streamId", "7");
        frame.putObject("payload").put("type", "input").put("data", data);
        return JSON.writeValueAsString(frame);
    }

    private static JsonNode parse(String frame) {
        return JSON.readTree(frame);
    }

    private TestWebSocket shell(String identifier) {
        TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET));
        socket.send(initialize(identifier, 80, 24));
        return socket;
    }

    /** The error frame, then the close with the status. */
    private static JsonNode refusal(TestWebSocket socket, int closeStatus) {
        JsonNode error = parse(socket.next());
        assertThat(error.path("type").asString()).isEqualTo("response");
        assertThat(socket.awaitClose().code()).isEqualTo(closeStatus);
        return error;
    }

    @Test
    void aShellSessionIsHandedOutInUCloudsShape() {
        HttpResponse<String> response = api.post(SESSIONS, sessionRequest("4242", 0, "SHELL"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode session = json(response).path("responses").path(0);
        assertThat(session.path("type").asString()).isEqualTo("shell");
        assertThat(session.path("jobId").asString()).isEqualTo("4242");
        assertThat(session.path("rank").asInt()).isEqualTo(0);
        assertThat(session.has("domainOverride")).isTrue();
        assertThat(session.path("domainOverride").isNull()).isTrue();
        // 32 random bytes, URL-safe base64 without padding.
        assertThat(session.path("sessionIdentifier").asString()).matches("[A-Za-z0-9_-]{43}");
        assertThat(openSession("4242")).isNotEqualTo(session.path("sessionIdentifier").asString());
    }

    @Test
    void theShellRelaysOutputInputAcksAndResizesAndTheUsersCloseEndsTheBackendsSession() throws Exception {
        String identifier = openSession("4242");

        try (TestWebSocket socket = shell(identifier)) {
            assertThat(parse(socket.next()).toString())
                    .isEqualTo("{\"type\":\"message\",\"streamId\":\"7\",\"payload\":{\"type\":\"initialize\"}}");
            assertThat(parse(socket.next()).path("payload").path("data").asString()).isEqualTo(RecordingBackend.GREETING);
            assertThat(backend.calls()).contains("openShell 4242 0 80x24");

            socket.send(input("ls\r"));
            List<String> answers = List.of(socket.next(), socket.next());
            assertThat(answers).extracting(a -> parse(a).path("payload").toString()).containsExactlyInAnyOrder(
                    "{\"type\":\"data\",\"data\":\"ls\\r\"}", "{\"type\":\"ack\"}");

            socket.send("{\"call\": \"" + CALL + "\", \"streamId\": \"7\", \"payload\": {\"type\": \"resize\", "
                    + "\"cols\": 120, \"rows\": 40}}");
            await().atMost(TestWebSocket.DEADLINE).until(() -> backend.calls().contains("resize 4242 120x40"));

            socket.closeNormally();
            assertThat(backend.awaitShellClosed(TestWebSocket.DEADLINE.toSeconds())).isTrue();
            assertThat(backend.calls()).contains("closeShell 4242");
        }
    }

    @Test
    void theWebsocketNeedsNoBearerTokenButTheSessionCallDoes() {
        HttpResponse<String> response = api.send(java.net.http.HttpRequest.newBuilder(api.uri(SESSIONS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(sessionRequest("4242", 0, "SHELL"))));
        assertThat(response.statusCode()).isEqualTo(401);

        // TestWebSocket sends no Authorization header.
        try (TestWebSocket socket = shell(openSession("4242"))) {
            assertThat(parse(socket.next()).path("payload").path("type").asString()).isEqualTo("initialize");
        }
    }

    @Test
    void anIdentifierOpensOneShellOnly() {
        String identifier = openSession("4242");
        try (TestWebSocket first = shell(identifier)) {
            assertThat(parse(first.next()).path("payload").path("type").asString()).isEqualTo("initialize");
            try (TestWebSocket second = shell(identifier)) {
                JsonNode error = refusal(second, ShellSocket.UNAUTHORIZED);
                assertThat(error.path("status").asInt()).isEqualTo(401);
                assertThat(error.path("payload").path("why").asString()).contains("unknown, used or expired");
            }
        }
        assertThat(backend.calls("openShell")).hasSize(1);
    }

    @Test
    void anUnknownIdentifierIsRefused() {
        try (TestWebSocket socket = shell("A".repeat(43))) {
            refusal(socket, ShellSocket.UNAUTHORIZED);
        }
        assertThat(backend.calls("openShell")).isEmpty();
    }

    @Test
    void anIdentifierExpiresWhenNotUsedInTime() {
        String identifier = openSession("4242");
        clock.advance(ShellSessions.LIFETIME);
        try (TestWebSocket socket = shell(identifier)) {
            refusal(socket, ShellSocket.UNAUTHORIZED);
        }
        String fresh = openSession("4242");
        clock.advance(ShellSessions.LIFETIME.minusSeconds(1));
        try (TestWebSocket socket = shell(fresh)) {
            assertThat(parse(socket.next()).path("payload").path("type").asString()).isEqualTo("initialize");
        }
    }

    @Test
    void aConnectionWithoutInitializeIsClosedWhenItsTimeIsUp() {
        try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET))) {
            await().atMost(TestWebSocket.DEADLINE).until(() -> !timer.delays().isEmpty());
            assertThat(timer.delays()).containsExactly(ShellSocket.INITIALIZE_TIMEOUT);
            timer.fire();
            JsonNode error = refusal(socket, ShellSocket.TIMED_OUT);
            assertThat(error.path("status").asInt()).isEqualTo(408);
        }
    }

    @Test
    void theDeadlineDoesNothingToAnInitialisedShell() {
        try (TestWebSocket socket = shell(openSession("4242"))) {
            assertThat(parse(socket.next()).path("payload").path("type").asString()).isEqualTo("initialize");
            socket.next();
            timer.fire();
            socket.send(input("x"));
            assertThat(List.of(socket.next(), socket.next())).extracting(a -> parse(a).path("payload").path("type").asString())
                    .containsExactlyInAnyOrder("data", "ack");
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void malformedFramesAreAnsweredWithAnErrorFrameAndClosed() {
        for (String bad : List.of("not json", "[1, 2]", "{\"call\": \"jobs.compute.other.shell.open\", \"payload\": "
                        + "{\"type\": \"initialize\"}}", "{\"streamId\": 7, \"payload\": {\"type\": \"initialize\"}}",
                "{\"payload\": \"x\"}", "{\"payload\": {\"type\": \"input\", \"data\": \"x\"}}",
                "{\"payload\": {\"type\": \"initialize\", \"sessionIdentifier\": 5, \"cols\": 80, \"rows\": 24}}")) {
            try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET))) {
                socket.send(bad);
                JsonNode error = refusal(socket, ShellSocket.PROTOCOL_ERROR);
                assertThat(error.path("status").asInt()).as(bad).isEqualTo(400);
                assertThat(error.path("payload").path("why").asString()).as(bad).isNotBlank();
            }
        }
        assertThat(backend.calls("openShell")).isEmpty();
    }

    @Test
    void badSizesAreRefusedAtInitializeAndAtResize() {
        for (String size : List.of("0, 24", "80, 0", "1001, 24", "80.5, 24", "\"80\", 24")) {
            String identifier = openSession("4242");
            try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET))) {
                socket.send("{\"call\": \"" + CALL + "\", \"streamId\": \"7\", \"payload\": {\"type\": \"initialize\", "
                        + "\"sessionIdentifier\": \"" + identifier + "\", \"cols\": " + size.split(", ")[0]
                        + ", \"rows\": " + size.split(", ")[1] + "}}");
                assertThat(refusal(socket, ShellSocket.PROTOCOL_ERROR).path("payload").path("why").asString())
                        .as(size).contains("cols");
            }
        }
        try (TestWebSocket socket = shell(openSession("4242"))) {
            socket.next();
            socket.next();
            socket.send("{\"streamId\": \"7\", \"payload\": {\"type\": \"resize\", \"cols\": 0, \"rows\": 5}}");
            refusal(socket, ShellSocket.PROTOCOL_ERROR);
        }
        assertThat(backend.calls()).noneMatch(c -> c.startsWith("resize"));
    }

    @Test
    void binaryAndOversizedFramesCloseTheShell() {
        try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET))) {
            socket.sendBinary(new byte[]{1});
            refusal(socket, ShellSocket.PROTOCOL_ERROR);
        }
        try (TestWebSocket socket = TestWebSocket.connect(api.ws(SOCKET))) {
            socket.send("x".repeat(ShellSocket.MAX_FRAME_BYTES + 1));
            assertThat(socket.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void aShellTheBackendRefusesIsAnErrorFrameAndAClose() {
        backend.rejectShell("4242", "the VM is not running");
        try (TestWebSocket socket = shell(openSession("4242"))) {
            assertThat(parse(socket.next()).path("payload").path("type").asString()).isEqualTo("initialize");
            JsonNode error = refusal(socket, ShellSocket.REFUSED);
            assertThat(error.path("payload").path("why").asString()).contains("the VM is not running");
        }
    }

    @Test
    void aFailingBackendIsNamedWithoutItsMessage() {
        backend.failIn("openShell");
        try (TestWebSocket socket = shell(openSession("4242"))) {
            socket.next();
            JsonNode error = refusal(socket, ShellSocket.SERVER_ERROR);
            assertThat(error.path("payload").path("why").asString()).contains("error reference")
                    .doesNotContain(RecordingBackend.INTERNAL_DETAIL);
        }
    }

    @Test
    void theBackendEndingTheShellClosesTheUsersSocket() {
        try (TestWebSocket socket = shell(openSession("4242"))) {
            socket.next();
            socket.next();
            backend.endShells("the shell exited");
            TestWebSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(closed.reason()).isEqualTo("the shell exited");
        }
        assertThat(backend.calls()).doesNotContain("closeShell 4242");
    }

    @Test
    void aWebSessionOfAJobWithoutLinksAndAnUnknownTypeAreRefused() {
        HttpResponse<String> response = api.post(SESSIONS, sessionRequest("4242", 0, "WEB"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("items").path(0).path("why").asString())
                .startsWith("items[0]: job 4242 has no public link");
        HttpResponse<String> unknown = api.post(SESSIONS, sessionRequest("4242", 0, "TELNET"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("must be SHELL, WEB or VNC, got 'TELNET'");
    }

    @Test
    void unknownEndedAndTerminatedJobsAndBadRanksGetNoSession() {
        HttpResponse<String> unknown = api.post(SESSIONS, sessionRequest("9999", 0, "SHELL"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("items").path(0).path("id").asString()).isEqualTo("9999");

        HttpResponse<String> rank = api.post(SESSIONS, sessionRequest("4242", 1, "SHELL"));
        assertThat(rank.statusCode()).isEqualTo(400);
        assertThat(json(rank).path("items").path(0).path("why").asString()).contains("rank");

        HttpResponse<String> negative = api.post(SESSIONS, sessionRequest("4242", -1, "SHELL"));
        assertThat(negative.statusCode()).isEqualTo(400);

        HttpResponse<String> noJob = api.post(SESSIONS, "{\"items\": [{\"rank\": 0, \"sessionType\": \"SHELL\"}]}");
        assertThat(noJob.statusCode()).isEqualTo(400);
        assertThat(json(noJob).path("items").path(0).path("why").asString()).contains("job");

        assertThat(api.post(JOBS + "/terminate", bulk(vmJob("4242"))).statusCode()).isEqualTo(200);
        HttpResponse<String> terminated = api.post(SESSIONS, sessionRequest("4242", 0, "SHELL"));
        assertThat(terminated.statusCode()).isEqualTo(409);
        assertThat(json(terminated).path("items").path(0).path("why").asString()).isEqualTo("job 4242 was terminated");
    }

    @Test
    void anItemMayNameTheJobByIdAlone() {
        HttpResponse<String> response = api.post(SESSIONS,
                "{\"items\": [{\"id\": \"4242\", \"rank\": 0, \"sessionType\": \"SHELL\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("responses").path(0).path("jobId").asString()).isEqualTo("4242");
    }

    @Test
    void aPluginRouteOnTheApisPortIsServedWithoutTheBearerToken(@TempDir Path other) {
        WebSocketRoute route = new WebSocketRoute(1, "/api/vmagent", 1024, connection -> new WebSocketListener() {
            @Override
            public void onText(String text) {
                connection.sendText("agent: " + text);
            }

            @Override
            public void onBinary(ByteBuffer data) {
            }

            @Override
            public void onClose(int code, String reason) {
            }
        });
        try (ApiFixture withRoute = ApiFixture.start(other, new RecordingBackend(), clock, timer,
                List.of(new NamedRoute("compute backend Agents", route)));
             TestWebSocket socket = TestWebSocket.connect(withRoute.ws("/api/vmagent"))) {
            assertThat(socket.send("hello").next()).isEqualTo("agent: hello");
        }
    }

    @Test
    void aPluginRouteAtTheShellsPathIsRefusedNamingBoth(@TempDir Path other) {
        WebSocketRoute route = new WebSocketRoute(1, SOCKET, 1024, connection -> {
            throw new AssertionError("never served");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiFixture.start(other, new RecordingBackend(), clock,
                        timer, List.of(new NamedRoute("compute backend Greedy", route))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SOCKET).hasMessageContaining("shell").hasMessageContaining("compute backend Greedy");
    }

    @Test
    void stoppingTheServerEndsOpenShells() throws Exception {
        try (TestWebSocket socket = shell(openSession("4242"))) {
            socket.next();
            socket.next();
            api.close();
            assertThat(backend.awaitShellClosed(TestWebSocket.DEADLINE.toSeconds())).isTrue();
            assertThat(socket.awaitClose()).isNotNull();
        }
    }
}
