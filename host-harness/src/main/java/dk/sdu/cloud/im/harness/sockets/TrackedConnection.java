package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketConnection;

/**
 * A connection of one of the host's own routes: a {@link WebSocketConnection} that also says how many frames it
 * sent are not written to the network yet, so that a route whose output does not wait for its peer (a job's
 * follow stream) can tell a slow reader and bound what it queues for it.
 */
public interface TrackedConnection extends WebSocketConnection {

    /** Frames handed to {@link #sendText} or {@link #sendBinary} whose write has not finished yet. */
    int framesInFlight();
}
