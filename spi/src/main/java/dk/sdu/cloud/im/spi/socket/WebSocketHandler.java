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

    /**
     * The host listens for this handler's route on {@code port}: the route's own port, or the one the host picked
     * for a route at port 0. Called each time the route's listener starts, right after it binds and before the host
     * goes on serving (the IM's jobs are carried out only after); must return quickly.
     */
    default void listening(int port) {
    }
}
