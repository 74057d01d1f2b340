package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.harness.plugins.PluginFault;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Collects the websocket routes to serve, and refuses two routes at the same port and path. */
public final class WebSocketRoutes {
    private WebSocketRoutes() {
    }

    /**
     * Asks every (opened) backend for its routes.
     *
     * @throws IllegalStateException when a backend fails to say (naming its plugin), or returns null
     */
    public static List<NamedRoute> of(List<ComputeBackend> backends) {
        requireNonNull(backends, "backends is null");
        List<NamedRoute> routes = new ArrayList<>();
        for (ComputeBackend backend : backends) {
            List<WebSocketRoute> offered;
            try {
                offered = backend.webSocketRoutes();
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException(PluginFault.of(backend, "list its websocket routes", e).detail(), e);
            }
            if (offered == null) {
                throw new IllegalStateException("compute backend " + backend.name() + " returned no list of websocket "
                        + "routes (null)");
            }
            for (WebSocketRoute route : offered) {
                routes.add(new NamedRoute("compute backend " + backend.name(), requireNonNull(route,
                        "compute backend " + backend.name() + " returned a null websocket route")));
            }
        }
        return List.copyOf(routes);
    }

    /**
     * @throws IllegalArgumentException naming both owners when two routes share a port and a path: which one
     *                                  would get the connections would be an accident
     */
    public static void checkDistinct(List<NamedRoute> routes) {
        Map<String, NamedRoute> seen = new HashMap<>();
        for (NamedRoute route : routes) {
            NamedRoute previous = seen.putIfAbsent(route.where(), route);
            if (previous != null) {
                throw new IllegalArgumentException("two websocket routes at " + route.where() + ": "
                        + previous.owner() + " and " + route.owner());
            }
        }
    }
}
