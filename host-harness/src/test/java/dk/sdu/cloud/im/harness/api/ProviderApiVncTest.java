package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.sockets.NamedRoute;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.harness.testing.TestWebSocket;
import dk.sdu.cloud.im.harness.vnc.VncSessions;
import dk.sdu.cloud.im.harness.vnc.VncSocket;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.PROVIDER;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.JSON;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The VNC session in UCloud's shape: the interactiveSession call hands out a URL with a single-use token, and the
 * websocket behind it relays the RFB bytes to and from the job's backend.
 */
class ProviderApiVncTest {
    private static final String SESSIONS = JOBS + "/interactiveSession";
    private static final String PATH = "/ucloud/" + PROVIDER + "/vnc";
    private static final byte[] CLIENT_VERSION = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

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
        ObjectNode job = vmJob("4242");
        ((ObjectNode) job.at("/status/resolvedApplication/invocation")).putObject("vnc").put("password", "s3cret");
        assertThat(api.post(JOBS, bulk(job)).statusCode()).isEqualTo(200);
        assertThat(api.post(JOBS, bulk(vmJob("4343"))).statusCode()).isEqualTo(200);
        api.awaitCarriedOut();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String sessionRequest(String jobId, int rank) {
        ObjectNode item = JSON.createObjectNode();
        item.set("job", vmJob(jobId));
        item.put("rank", rank);
        item.put("sessionType", "VNC");
        item.putNull("target");
        return bulk(item);
    }

    private JsonNode openSession(String jobId) {
        HttpResponse<String> response = api.post(SESSIONS, sessionRequest(jobId, 0));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("responses").path(0);
    }

    private static String tokenOf(JsonNode session) {
        String url = session.path("url").asString();
        return url.substring(url.indexOf("?token=") + "?token=".length());
    }

    private TestWebSocket viewer(String token) {
        return TestWebSocket.connect(api.ws(PATH + "?token=" + token), "binary");
    }

    @Test
    void aVncSessionIsHandedOutInUCloudsShapeWithTheApplicationsPassword() {
        JsonNode session = openSession("4242");

        assertThat(session.path("type").asString()).isEqualTo("vnc");
        assertThat(session.path("jobId").asString()).isEqualTo("4242");
        assertThat(session.path("rank").asInt()).isZero();
        assertThat(session.path("url").asString())
                .matches("http://127\\.0\\.0\\.1:" + api.port + "/ucloud/" + PROVIDER + "/vnc\\?token=[A-Za-z0-9_-]{43}");
        assertThat(session.path("password").asString()).isEqualTo("s3cret");
        assertThat(session.has("domainOverride")).isTrue();
        assertThat(session.path("domainOverride").isNull()).isTrue();
        assertThat(tokenOf(openSession("4242"))).isNotEqualTo(tokenOf(session));
    }

    @Test
    void anApplicationWithoutAVncPasswordGetsNull() {
        JsonNode session = openSession("4343");

        assertThat(session.has("password")).isTrue();
        assertThat(session.path("password").isNull()).isTrue();
    }

    @Test
    void theRelayCarriesBytesBothWaysInBinaryFrames() {
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            assertThat(socket.subprotocol()).isEqualTo("binary");
            assertThat(new String(socket.nextBinary(), StandardCharsets.US_ASCII))
                    .isEqualTo(RecordingBackend.RFB_GREETING);

            socket.sendBinary(CLIENT_VERSION);
            assertThat(socket.nextBinary()).isEqualTo(CLIENT_VERSION);
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            socket.sendBinary(all);
            assertThat(socket.nextBinary()).isEqualTo(all);
            assertThat(backend.vncReceived()).hasSize(CLIENT_VERSION.length + all.length);
            assertThat(backend.calls()).contains("openVnc 4242 0");
        }
    }

    @Test
    void theViewersEndClosesTheBackendsSession() {
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            socket.nextBinary();
            socket.closeNormally();
            await().atMost(TestWebSocket.DEADLINE).until(() -> backend.calls().contains("closeVnc 4242"));
        }
    }

    @Test
    void theBackendsEndClosesTheViewerWithItsReason() {
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            socket.nextBinary();
            backend.endScreens("the VM stopped");

            TestWebSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(closed.reason()).isEqualTo("the VM stopped");
        }
        assertThat(backend.calls()).doesNotContain("closeVnc 4242");
    }

    @Test
    void aUsedTokenIsRefusedWith401BeforeTheUpgrade() {
        String token = tokenOf(openSession("4242"));
        try (TestWebSocket first = viewer(token)) {
            first.nextBinary();
            RawHttp.Response again = upgrade(token);
            assertThat(again.status()).isEqualTo(401);
            assertThat(JSON.readTree(again.body()).path("why").asString()).startsWith("unknown, used or expired VNC token");
            assertThatThrownBy(() -> viewer(token)).isInstanceOf(CompletionException.class);
        }
        assertThat(backend.calls("openVnc")).hasSize(1);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = tokenOf(openSession("4242"));
        clock.advance(VncSessions.LIFETIME);

        RawHttp.Response expired = upgrade(token);
        assertThat(expired.status()).as(expired.toString()).isEqualTo(401);
        assertThat(JSON.readTree(expired.body()).path("why").asString()).startsWith("unknown, used or expired VNC token");
        assertThat(upgrade("").status()).isEqualTo(401);
        assertThat(backend.calls("openVnc")).isEmpty();
    }

    @Test
    void aTokenIsGoodJustBeforeItExpires() {
        String token = tokenOf(openSession("4242"));
        clock.advance(VncSessions.LIFETIME.minus(Duration.ofMillis(1)));

        try (TestWebSocket socket = viewer(token)) {
            assertThat(socket.nextBinary()).isNotEmpty();
        }
    }

    @Test
    void theRelayPingsTheViewerOnItsTimer() {
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            socket.nextBinary();
            assertThat(timer.delays()).contains(VncSocket.PING_INTERVAL);

            timer.fire();
            timer.fire();
            timer.fire();

            await().atMost(TestWebSocket.DEADLINE).until(() -> socket.pings() == 3);
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void aTextFrameIsAProtocolError() {
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            socket.nextBinary();
            socket.send("hello");

            TestWebSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(VncSocket.PROTOCOL_ERROR);
            assertThat(closed.reason()).contains("text frames are not part of the VNC stream");
        }
        await().atMost(TestWebSocket.DEADLINE).until(() -> backend.calls().contains("closeVnc 4242"));
    }

    @Test
    void aSecondViewerTakesTheScreenOverAndTheFirstLearnsWhy() {
        try (TestWebSocket first = viewer(tokenOf(openSession("4242")))) {
            first.nextBinary();
            try (TestWebSocket second = viewer(tokenOf(openSession("4242")))) {
                TestWebSocket.Closed closed = first.awaitClose();
                assertThat(closed.code()).isEqualTo(VncSocket.TAKEN_OVER);
                assertThat(closed.reason()).isEqualTo("another viewer opened this VM's screen");
                assertThat(second.nextBinary()).isNotEmpty();
                second.sendBinary(CLIENT_VERSION);
                assertThat(second.nextBinary()).isEqualTo(CLIENT_VERSION);
            }
        }
        assertThat(backend.calls("openVnc")).hasSize(2);
        assertThat(backend.calls("closeVnc")).isNotEmpty();
    }

    @Test
    void aBackendThatRefusesClosesTheViewerWithItsReason() {
        backend.rejectVnc("4242", "Job 4242 has no running virtual machine with a screen to show.");
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            TestWebSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(VncSocket.NO_SCREEN);
            assertThat(closed.reason()).contains("has no running virtual machine");
        }
    }

    @Test
    void aBackendThatFailsClosesTheViewerWith1011WithoutItsDetails() {
        backend.failIn("openVnc");
        try (TestWebSocket socket = viewer(tokenOf(openSession("4242")))) {
            TestWebSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(VncSocket.SERVER_ERROR);
            assertThat(closed.reason()).doesNotContain(RecordingBackend.INTERNAL_DETAIL);
        }
    }

    @Test
    void unknownJobsAndBadRanksGetNoVncSession() {
        assertThat(api.post(SESSIONS, sessionRequest("9999", 0)).statusCode()).isEqualTo(404);
        HttpResponse<String> badRank = api.post(SESSIONS, sessionRequest("4242", 1));
        assertThat(badRank.statusCode()).isEqualTo(400);
        assertThat(json(badRank).path("items").path(0).path("why").asString()).contains("not rank 1");
    }

    @Test
    void aPluginRouteAtTheVncPathIsRefusedNamingBoth(@TempDir Path other) {
        WebSocketRoute route = new WebSocketRoute(1, PATH, 1024, connection -> {
            throw new AssertionError("never served");
        });
        assertThatThrownBy(() -> ApiFixture.start(other, new RecordingBackend(), clock, timer,
                List.of(new NamedRoute("compute backend Greedy", route))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PATH).hasMessageContaining("VNC relay").hasMessageContaining("compute backend Greedy");
    }

    /** A websocket upgrade by hand, to see the HTTP answer of a refused one. */
    private RawHttp.Response upgrade(String token) {
        return RawHttp.send(api.port, "GET " + PATH + "?token=" + token + " HTTP/1.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");
    }
}
