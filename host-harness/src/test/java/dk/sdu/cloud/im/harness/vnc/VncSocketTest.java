package dk.sdu.cloud.im.harness.vnc;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.sockets.PeerConnection;
import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay on its own, with a connection, timer and executor the test drives: pings, the bytes a viewer sends
 * while the backend opens, and refusals.
 */
class VncSocketTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-06T22:00:00Z"));
    private final VncSessions sessions = new VncSessions(clock);
    private final ManualDelayTimer timer = new ManualDelayTimer();
    private final List<Runnable> opening = new ArrayList<>();
    private final VncSocket relay = new VncSocket(sessions, timer, opening::add);
    private final RecordingBackend backend = new RecordingBackend();
    private final Job job = ExampleJobs.JSON.treeToValue(ExampleJobs.vmJob("4242"), Job.class);

    /** A viewer's connection that records what the relay does to it. */
    static final class Viewer implements PeerConnection {
        final Map<String, String> query;
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile int pings;
        volatile Integer closeCode;
        volatile String closeReason;

        Viewer(Map<String, String> query) {
            this.query = query;
        }

        @Override
        public Optional<String> queryParameter(String name) {
            return Optional.ofNullable(query.get(name));
        }

        @Override
        public void ping() {
            pings++;
        }

        @Override
        public int framesInFlight() {
            return 0;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:40000";
        }

        @Override
        public void sendText(String text) {
            sent.add("text:" + text);
        }

        @Override
        public void sendBinary(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            sent.add(new String(bytes, StandardCharsets.US_ASCII));
        }

        @Override
        public void close(int code, String reason) {
            if (closeCode == null) {
                closeCode = code;
                closeReason = reason;
            }
        }

        @Override
        public boolean isOpen() {
            return closeCode == null;
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void openBackends() {
        List<Runnable> due = List.copyOf(opening);
        opening.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void theRelayPingsEveryIntervalWhileTheConnectionLastsAndStopsAfter() {
        Viewer viewer = new Viewer(Map.of("token", sessions.issue(job, 0, backend)));
        WebSocketListener listener = relay.open(viewer);
        openBackends();

        for (int i = 1; i <= 4; i++) {
            assertThat(timer.delays()).hasSize(i).allMatch(VncSocket.PING_INTERVAL::equals);
            timer.fire();
            assertThat(viewer.pings).isEqualTo(i);
        }
        listener.onClose(1000, "bye");
        timer.fire();
        assertThat(viewer.pings).isEqualTo(4);
        assertThat(timer.delays()).hasSize(5);
        assertThat(backend.calls()).contains("closeVnc 4242");
        assertThat(relay.viewerCount()).isZero();
    }

    @Test
    void whatTheViewerSendsWhileTheBackendOpensFollowsInOrder() {
        Viewer viewer = new Viewer(Map.of("token", sessions.issue(job, 0, backend)));
        WebSocketListener listener = relay.open(viewer);
        listener.onBinary(ascii("one "));
        listener.onBinary(ascii("two "));
        assertThat(backend.calls()).doesNotContain("openVnc 4242 0");

        openBackends();
        listener.onBinary(ascii("three"));

        assertThat(new String(backend.vncReceived(), StandardCharsets.US_ASCII)).isEqualTo("one two three");
        assertThat(viewer.sent).containsExactly(RecordingBackend.RFB_GREETING, "one ", "two ", "three");
    }

    @Test
    void aViewerThatSendsTooMuchBeforeTheScreenOpensIsClosed() {
        Viewer viewer = new Viewer(Map.of("token", sessions.issue(job, 0, backend)));
        WebSocketListener listener = relay.open(viewer);

        listener.onBinary(ByteBuffer.allocate(VncSocket.MAX_PENDING_BYTES));
        assertThat(viewer.closeCode).isNull();
        listener.onBinary(ByteBuffer.allocate(1));

        assertThat(viewer.closeCode).isEqualTo(VncSocket.PROTOCOL_ERROR);
        openBackends();
        assertThat(backend.calls()).contains("openVnc 4242 0", "closeVnc 4242");
    }

    @Test
    void aConnectionWithoutATokenIsClosedUnauthorisedAndAsksNoBackend() {
        Viewer viewer = new Viewer(Map.of());
        relay.open(viewer);

        assertThat(viewer.closeCode).isEqualTo(VncSocket.UNAUTHORIZED);
        assertThat(opening).isEmpty();
        assertThat(timer.delays()).isEmpty();
    }

    @Test
    void theViewerLeavingWhileTheBackendOpensClosesTheScreenOnceOpen() {
        Viewer viewer = new Viewer(Map.of("token", sessions.issue(job, 0, backend)));
        relay.open(viewer).onClose(1001, "going away");

        openBackends();

        assertThat(backend.calls()).containsSubsequence("openVnc 4242 0", "closeVnc 4242");
        assertThat(relay.viewerCount()).isZero();
    }

    @Test
    void aScreenTheBackendEndsBeforeItsOpeningReturnedClosesTheViewerWithTheReasonAndIsNotClosedAgain() {
        backend.endScreenWhileOpening("4242", "the VM stopped");
        Viewer viewer = new Viewer(Map.of("token", sessions.issue(job, 0, backend)));
        WebSocketListener listener = relay.open(viewer);

        openBackends();

        assertThat(viewer.closeCode).isEqualTo(1000);
        assertThat(viewer.closeReason).isEqualTo("the VM stopped");
        assertThat(viewer.sent).containsExactly(RecordingBackend.RFB_GREETING);
        listener.onClose(1000, "the VM stopped");
        assertThat(backend.calls()).contains("openVnc 4242 0").doesNotContain("closeVnc 4242");
        assertThat(relay.viewerCount()).isZero();
    }
}
