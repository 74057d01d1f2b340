package dk.sdu.cloud.im.harness.follow;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.sockets.PeerConnection;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The follow stream's protocol, against a recorded connection and a recording backend, time driven by hand. */
class FollowSocketTest {
    private static final String PROVIDER = "k8s";
    private static final String CALL = "jobs.provider.k8s.follow";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ManualDelayTimer timer = new ManualDelayTimer();
    private final RecordingBackend backend = new RecordingBackend();
    private final Job job = JSON.readValue(ExampleJobs.vmJob("4242").toString(), Job.class);
    private FollowTarget target = new FollowTarget.Live(job, 1, backend);
    private final FollowSocket socket = new FollowSocket(PROVIDER, id -> "4242".equals(id) ? target
            : new FollowTarget.Unknown("no job with id '" + id + "' is known to this provider"), timer);
    private final RecordedConnection connection = new RecordedConnection();

    private static String init(String jobId) {
        return "{\"call\": \"" + CALL + "\", \"streamId\": \"req-1\", \"payload\": {\"type\": \"init\", "
                + "\"job\": {\"id\": \"" + jobId + "\"}}, \"bearer\": \"\", \"project\": null}";
    }

    private WebSocketListener followed() {
        WebSocketListener listener = socket.open(connection);
        listener.onText(init("4242"));
        return listener;
    }

    private String sessionId() {
        return JSON.readTree(connection.sent.get(0)).path("payload").path("streamId").asString();
    }

    @Test
    void messagesPingsAndTheFinalResponseAreInUCloudsShape() {
        followed();
        String session = sessionId();
        assertThat(session).isNotBlank();
        assertThat(backend.calls()).containsExactly("follow 4242 0");
        assertThat(connection.sent.get(0)).isEqualTo("{\"type\":\"message\",\"streamId\":\"req-1\",\"payload\":{"
                + "\"streamId\":\"" + session + "\",\"rank\":0,\"stdout\":\"" + RecordingBackend.FOLLOW_GREETING
                + "\",\"stderr\":null,\"channel\":null}}");

        backend.emit(FollowMessage.onChannel(0, "kv", "{\"os\":\"Ubuntu\"}"));
        assertThat(connection.sent.get(1)).isEqualTo("{\"type\":\"message\",\"streamId\":\"req-1\",\"payload\":{"
                + "\"streamId\":\"" + session + "\",\"rank\":0,\"stdout\":\"{\\\"os\\\":\\\"Ubuntu\\\"}\","
                + "\"stderr\":null,\"channel\":\"kv\"}}");

        assertThat(timer.delays()).containsExactly(Duration.ofSeconds(30));
        timer.fire();
        timer.fire();
        assertThat(connection.sent.subList(2, 4)).containsExactly("{\"ping\":\"pong\"}", "{\"ping\":\"pong\"}");

        backend.endFollows("the job ended");
        assertThat(connection.sent.get(4)).isEqualTo("{\"type\":\"response\",\"status\":200,\"streamId\":\"req-1\","
                + "\"payload\":{\"streamId\":\"" + session + "\",\"rank\":0,\"stdout\":null,\"stderr\":null,"
                + "\"channel\":null}}");
        assertThat(connection.closedWith).isEqualTo(1000);
        // Once ended, nothing more: no message, no ping.
        backend.emit(FollowMessage.stdout(0, "late"));
        timer.fire();
        assertThat(connection.sent).hasSize(5);
    }

    @Test
    void aCancelSendsTheFinalResponseAndClosesTheBackendsSession() {
        WebSocketListener listener = followed();
        listener.onText("{\"call\": \"" + CALL + "\", \"streamId\": \"req-1\", \"payload\": {\"type\": \"cancel\", "
                + "\"streamId\": \"" + sessionId() + "\"}}");

        JsonNode last = JSON.readTree(connection.sent.get(connection.sent.size() - 1));
        assertThat(last.path("type").asString()).isEqualTo("response");
        assertThat(last.path("status").asInt()).isEqualTo(200);
        assertThat(connection.closedWith).isEqualTo(1000);
        assertThat(backend.calls()).containsExactly("follow 4242 0", "closeFollow 4242");
    }

    @Test
    void aFollowerThatLeavesClosesTheBackendsSession() {
        WebSocketListener listener = followed();
        listener.onClose(1006, "");
        assertThat(backend.calls()).containsExactly("follow 4242 0", "closeFollow 4242");
        timer.fire();
        assertThat(connection.sent).hasSize(1);
    }

    @Test
    void everyMachineOfTheJobIsFollowed() {
        target = new FollowTarget.Live(job, 3, backend);
        WebSocketListener listener = followed();
        assertThat(backend.calls()).containsExactly("follow 4242 0", "follow 4242 1", "follow 4242 2");
        assertThat(connection.sent).extracting(f -> JSON.readTree(f).path("payload").path("rank").asInt())
                .containsExactly(0, 1, 2);
        listener.onClose(1000, "");
        assertThat(backend.calls("closeFollow")).hasSize(3);
    }

    @Test
    void anUnknownJobIs404() {
        socket.open(connection).onText(init("9999"));
        assertError(404, FollowSocket.NOT_FOUND, "no job with id '9999' is known to this provider");
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void anEndedJobGetsTheFinalResponseAtOnce() {
        target = new FollowTarget.Ended("job 4242 has ended (SUCCESS)");
        socket.open(connection).onText(init("4242"));
        assertThat(connection.sent).hasSize(1);
        JsonNode response = JSON.readTree(connection.sent.get(0));
        assertThat(response.path("type").asString()).isEqualTo("response");
        assertThat(response.path("status").asInt()).isEqualTo(200);
        assertThat(response.path("streamId").asString()).isEqualTo("req-1");
        assertThat(connection.closedWith).isEqualTo(1000);
        assertThat(backend.calls()).isEmpty();
        assertThat(timer.delays()).isEmpty();
    }

    @Test
    void aBackendThatRefusesIs409() {
        backend.rejectFollow("4242", "Virtual machines are not enabled on this provider.");
        socket.open(connection).onText(init("4242"));
        assertError(409, FollowSocket.REFUSED,
                "nothing to follow in job 4242: Virtual machines are not enabled on this provider.");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[1, 2]",
            "{\"streamId\": \"req-1\", \"payload\": {\"type\": \"init\", \"job\": {\"id\": \"4242\"}}}",
            "{\"call\": \"jobs.compute.k8s.shell.open\", \"payload\": {\"type\": \"init\", \"job\": {\"id\": \"4242\"}}}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"streamId\": 7, \"payload\": {\"type\": \"init\"}}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"payload\": \"init\"}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"payload\": {\"job\": {\"id\": \"4242\"}}}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"payload\": {\"type\": \"cancel\"}}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"payload\": {\"type\": \"init\"}}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"payload\": {\"type\": \"init\", \"job\": {\"id\": 4242}}}",
            "{\"call\": \"jobs.provider.k8s.follow\", \"payload\": {\"type\": \"init\", \"job\": {\"id\": \" \"}}}",
    })
    void aBadFirstFrameIs400AndOpensNothing(String frame) {
        socket.open(connection).onText(frame);
        JsonNode error = JSON.readTree(connection.sent.get(0));
        assertThat(error.path("type").asString()).isEqualTo("response");
        assertThat(error.path("status").asInt()).isEqualTo(400);
        assertThat(error.path("payload").path("why").asString()).isNotBlank();
        assertThat(connection.closedWith).isEqualTo(FollowSocket.PROTOCOL_ERROR);
        assertThat(backend.calls()).isEmpty();
    }

    @Test
    void eachBadFrameNamesItsRule() {
        socket.open(connection).onText("{\"payload\": {\"type\": \"init\"}}");
        assertError(400, FollowSocket.PROTOCOL_ERROR, "'call' must be '" + CALL + "'");
    }

    @Test
    void aBinaryFrameIs400() {
        socket.open(connection).onBinary(ByteBuffer.wrap(new byte[]{1}));
        assertError(400, FollowSocket.PROTOCOL_ERROR, "binary frames are not part of the follow protocol");
    }

    @Test
    void anUnknownFrameAfterInitIs400AndClosesTheBackendsSession() {
        WebSocketListener listener = followed();
        listener.onText("{\"call\": \"" + CALL + "\", \"payload\": {\"type\": \"input\"}}");
        JsonNode error = JSON.readTree(connection.sent.get(connection.sent.size() - 1));
        assertThat(error.path("status").asInt()).isEqualTo(400);
        assertThat(connection.closedWith).isEqualTo(FollowSocket.PROTOCOL_ERROR);
        assertThat(backend.calls()).containsExactly("follow 4242 0", "closeFollow 4242");
    }

    @Test
    void aSlowFollowerLosesMessagesBeyondTheBoundAndIsToldHowMany() {
        followed();
        connection.inFlight = FollowSocket.MAX_FRAMES_IN_FLIGHT;
        for (int i = 0; i < 1000; i++) {
            backend.emit(FollowMessage.stdout(0, "line " + i));
        }
        assertThat(connection.sent).hasSize(1);

        connection.inFlight = 0;
        backend.emit(FollowMessage.stdout(0, "after"));
        assertThat(connection.sent).hasSize(3);
        JsonNode notice = JSON.readTree(connection.sent.get(1)).path("payload");
        assertThat(notice.path("stderr").asString()).contains("dropped 1000 messages");
        assertThat(notice.path("stdout").isNull()).isTrue();
        assertThat(JSON.readTree(connection.sent.get(2)).path("payload").path("stdout").asString()).isEqualTo("after");

        // The final response and pings are never dropped.
        connection.inFlight = FollowSocket.MAX_FRAMES_IN_FLIGHT;
        timer.fire();
        backend.endFollows("the job ended");
        assertThat(connection.sent).hasSize(5);
        assertThat(JSON.readTree(connection.sent.get(4)).path("type").asString()).isEqualTo("response");
    }

    private void assertError(int status, int closeCode, String why) {
        assertThat(connection.sent).hasSize(1);
        JsonNode error = JSON.readTree(connection.sent.get(0));
        assertThat(error.path("type").asString()).isEqualTo("response");
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("payload").path("why").asString()).isEqualTo(why);
        assertThat(connection.closedWith).isEqualTo(closeCode);
    }

    /** A connection that records what is sent and how it was closed; its frames in flight are the test's to set. */
    private static final class RecordedConnection implements PeerConnection {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile Integer closedWith;
        volatile int inFlight;

        @Override
        public int framesInFlight() {
            return inFlight;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:5555";
        }

        @Override
        public java.util.Optional<String> queryParameter(String name) {
            return java.util.Optional.empty();
        }

        @Override
        public void ping() {
            throw new AssertionError("the follow stream sends UCloud's pings as text frames");
        }

        @Override
        public void sendText(String text) {
            if (closedWith == null) {
                sent.add(text);
            }
        }

        @Override
        public void sendBinary(ByteBuffer data) {
            throw new AssertionError("the follow stream sends no binary frames");
        }

        @Override
        public void close(int code, String reason) {
            if (closedWith == null) {
                closedWith = code;
            }
        }

        @Override
        public boolean isOpen() {
            return closedWith == null;
        }
    }
}
