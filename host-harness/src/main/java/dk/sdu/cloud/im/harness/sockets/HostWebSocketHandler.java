package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketListener;

/**
 * Serves the connections of one of the host's own websocket routes (not a plugin's): like
 * {@link dk.sdu.cloud.im.spi.socket.WebSocketHandler}, with the host's richer {@link TrackedConnection}.
 */
@FunctionalInterface
public interface HostWebSocketHandler {

    /**
     * A peer connected; must return quickly.
     *
     * @return where the connection's frames and its end go, one at a time, in order
     */
    WebSocketListener open(TrackedConnection connection);
}
