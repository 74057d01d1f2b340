package dk.sdu.cloud.im.harness.web;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's closes, with the two sides' events delivered in an order the network can produce but rarely does.
 * {@link LinkProxyTest} covers the same relay against real sockets.
 */
class WebSocketRelayTest {
    @Test
    void aVisitorDroppingItsConnectionRightAfterTheTargetsCloseLeavesJettyToAnswerTheTargetWithItsOwnCode() {
        WebSocketRelay relay = new WebSocketRelay();
        RecordingSession visitor = open(relay.visitorSide());
        RecordingSession target = open(relay.targetSide());

        // The target's close reaches the proxy; the visitor gets it and drops its connection before the proxy has
        // told Jetty that the target's close frame was handled, which is when Jetty answers the target.
        AtomicBoolean handled = new AtomicBoolean();
        relay.targetSide().onFrame(new CloseStatus(4001, "asked to").toFrame(),
                Callback.from(() -> handled.set(true), failure -> { }));
        relay.visitorSide().onClosed(new CloseStatus(CloseStatus.NO_CLOSE, "dropped"), Callback.NOOP);

        assertThat(visitor.closes).extracting(CloseStatus::getCode, CloseStatus::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4001, "asked to"));
        assertThat(target.closes).as("the target is answered by Jetty with its own code, not closed by the relay")
                .isEmpty();
        assertThat(handled).isTrue();
    }

    @Test
    void theVisitorsAnswerToTheTargetsCloseIsNotSentBackToTheTarget() {
        WebSocketRelay relay = new WebSocketRelay();
        RecordingSession visitor = open(relay.visitorSide());
        RecordingSession target = open(relay.targetSide());

        // The visitor's answer can arrive on its own thread before the target's close frame is marked handled.
        relay.targetSide().onFrame(new CloseStatus(4001, "asked to").toFrame(), Callback.NOOP);
        relay.visitorSide().onFrame(new CloseStatus(4001, "asked to").toFrame(), Callback.NOOP);

        assertThat(visitor.closes).hasSize(1);
        assertThat(target.closes).isEmpty();
    }

    @Test
    void aSideThatEndsWithoutACloseEndsTheOtherWithGoingAway() {
        WebSocketRelay relay = new WebSocketRelay();
        open(relay.visitorSide());
        RecordingSession target = open(relay.targetSide());

        relay.visitorSide().onClosed(new CloseStatus(CloseStatus.NO_CLOSE, "dropped"), Callback.NOOP);

        assertThat(target.closes).extracting(CloseStatus::getCode, CloseStatus::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CloseStatus.SHUTDOWN,
                        "the visitor side went away"));
    }

    @Test
    void aCloseCodeThatMayBeSentIsPassedOnWhenASideEndsWithoutRelayingIt() {
        WebSocketRelay relay = new WebSocketRelay();
        RecordingSession visitor = open(relay.visitorSide());
        open(relay.targetSide());

        relay.targetSide().onClosed(new CloseStatus(CloseStatus.TRY_AGAIN_LATER, "busy"), Callback.NOOP);

        assertThat(visitor.closes).extracting(CloseStatus::getCode, CloseStatus::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CloseStatus.TRY_AGAIN_LATER, "busy"));
    }

    private static RecordingSession open(FrameHandler side) {
        RecordingSession session = new RecordingSession();
        side.onOpen(session, Callback.NOOP);
        return session;
    }

    /** A session whose output stays open until something closes it, and which records the closes. */
    private static final class RecordingSession extends CoreSession.Empty {
        private final List<CloseStatus> closes = new ArrayList<>();
        private boolean outputOpen = true;

        @Override
        public boolean isOutputOpen() {
            return outputOpen;
        }

        @Override
        public boolean isInputOpen() {
            return true;
        }

        @Override
        public void close(int statusCode, String reason, Callback callback) {
            close(new CloseStatus(statusCode, reason), callback);
        }

        @Override
        public void close(CloseStatus status, Callback callback) {
            closes.add(status);
            outputOpen = false;
            callback.succeeded();
        }

        @Override
        public void demand() {
            // The relay asks for frames once both sides are open; these tests hand frames in themselves.
        }
    }
}
