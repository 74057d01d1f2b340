package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketConnection;

import java.util.Optional;

/**
 * A websocket connection as the host's own routes see it: what plugins see, plus the upgrade request's query and
 * pings (for the host's relays, whose peers may be quiet for long behind proxies that cut quiet connections).
 */
public interface PeerConnection extends WebSocketConnection {

    /** The first value of a query parameter of the upgrade request, when it has one. */
    Optional<String> queryParameter(String name);

    /** Sends a ping frame (the peer answers with a pong). Fails quietly when the peer is gone. */
    void ping();

    /**
     * Frames handed to {@link #sendText} or {@link #sendBinary} whose write has not finished yet: a route whose
     * output does not wait for its peer (a job's follow stream) tells a slow reader by it, and bounds what it
     * queues for it.
     */
    int framesInFlight();
}
