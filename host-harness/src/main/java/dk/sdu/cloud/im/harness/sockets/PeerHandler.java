package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketListener;

/** Serves the connections of one of the host's own websocket routes (see {@link PeerConnection}). */
@FunctionalInterface
public interface PeerHandler {

    /**
     * A peer connected. Called on a server thread once the upgrade is done; must return quickly.
     *
     * @return where the connection's frames and its end go, as for a plugin's
     *         {@link dk.sdu.cloud.im.spi.socket.WebSocketHandler}
     */
    WebSocketListener open(PeerConnection connection);
}
