package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketRoute;

import static java.util.Objects.requireNonNull;

/**
 * A websocket route and who asked for it, so that a clash can name both sides.
 *
 * @param owner who serves it, for people, e.g. {@code compute backend KubeVirt}
 * @param route the route
 */
public record NamedRoute(String owner, WebSocketRoute route) {
    public NamedRoute {
        requireNonNull(owner, "owner is null");
        requireNonNull(route, "route is null");
    }

    /** {@code port 42000, path /api/vmagent}. */
    public String where() {
        return "port " + route.port() + ", path " + route.path();
    }
}
