package dk.sdu.cloud.im.harness.web;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays one websocket's frames between the visitor and the target, each way as it comes: text, binary and
 * continuation frames, pings and pongs, and the close code and reason.
 *
 * <p>Backpressure is Jetty's demand: a side is asked for its next frame only once the frame before it was written to
 * the other side, so a slow reader slows the writer down instead of filling a buffer. Each side starts reading only
 * when both are open. Jetty answers a ping on the side that received it as well, so a visitor may see the proxy's
 * pong and the target's; unsolicited pongs are allowed (RFC 6455, 5.5.3). A connection that ends without a close
 * handshake ends the other side with 1001 (going away).
 */
final class WebSocketRelay {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketRelay.class);

    private final End visitor = new End("visitor");
    private final End target = new End("target");
    private final AtomicInteger open = new AtomicInteger();

    WebSocketRelay() {
        visitor.peer = target;
        target.peer = visitor;
    }

    /** The frame handler of the visitor's side (the proxy's server end). */
    FrameHandler visitorSide() {
        return visitor;
    }

    /** The frame handler of the target's side (the proxy's client end). */
    FrameHandler targetSide() {
        return target;
    }

    private void opened() {
        if (open.incrementAndGet() == 2) {
            visitor.session.demand();
            target.session.demand();
        }
    }

    /** One side: what it receives goes to its peer. */
    private final class End implements FrameHandler {
        private final String name;
        private volatile End peer;
        private volatile CoreSession session;
        /** Set before this side's close is relayed: Jetty answers it here, so nothing else may close this side. */
        private volatile boolean closeReceived;

        End(String name) {
            this.name = name;
        }

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            opened();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            CoreSession to = peer.session;
            if (frame.getOpCode() == OpCode.CLOSE) {
                // The close goes on at once, and once this callback completes Jetty answers it on this side with the
                // same code: neither side waits for the other's handshake to end. The peer may drop its connection
                // as soon as it has the close, before that answer is sent; the flag keeps its going-away close from
                // taking the answer's place.
                closeReceived = true;
                // An answer to a close the peer sent is not passed back: Jetty answers the peer itself.
                if (!peer.closeReceived && to.isOutputOpen()) {
                    to.close(new CloseStatus(frame.getPayload()), Callback.NOOP);
                }
                callback.succeeded();
                return;
            }
            to.sendFrame(copyOf(frame), Callback.from(() -> {
                callback.succeeded();
                demandMore();
            }, callback::failed), false);
        }

        private void demandMore() {
            if (session.isInputOpen()) {
                session.demand();
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            LOG.debug("Public link websocket, {} side failed: {}", name, cause.toString());
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            CoreSession to = peer.session;
            if (to != null && !peer.closeReceived && to.isOutputOpen()) {
                // Reached only when this side ended without relaying a close (a dropped connection, an error).
                CloseStatus relayed = CloseStatus.isTransmittableStatusCode(closeStatus.getCode()) ? closeStatus
                        : new CloseStatus(CloseStatus.SHUTDOWN, "the " + name + " side went away");
                to.close(relayed, Callback.NOOP);
            }
            callback.succeeded();
        }

        /** A frame the other side can send: its own header and a copy of the payload (the input's is reused). */
        private static Frame copyOf(Frame frame) {
            ByteBuffer payload = ByteBuffer.allocate(frame.getPayloadLength());
            if (frame.hasPayload()) {
                payload.put(frame.getPayload().slice());
            }
            payload.flip();
            return new Frame(frame.getOpCode(), frame.isFin(), payload);
        }
    }
}
