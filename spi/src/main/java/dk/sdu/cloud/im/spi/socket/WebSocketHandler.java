package dk.sdu.cloud.im.spi.socket;

/** Serves the connections of one {@link WebSocketRoute}. */
@FunctionalInterface
public interface WebSocketHandler {

    /**
     * A peer connected. Called on a server thread once the upgrade is done; must return quickly (no I/O that
     * may wait on a peer or the cluster).
     *
     * @return where the connection's frames and its end go; the host calls it from one thread at a time per
     *         connection, in the order the frames arrived
     */
    WebSocketListener open(WebSocketConnection connection);
}
