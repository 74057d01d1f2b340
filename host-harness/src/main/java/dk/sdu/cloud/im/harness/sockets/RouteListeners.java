package dk.sdu.cloud.im.harness.sockets;

import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The listeners of websocket routes whose port is not the provider API's: one Javalin server per distinct
 * port, bound to one address ({@code harness.server.routeBindAddress}). The routes at port 0 share one listener on
 * a port the system picks as it binds; every route's handler is told the port its listener got.
 */
public final class RouteListeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteListeners.class);
    /** How long a stop waits for Jetty; websocket connections are closed, not waited for. */
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final String bindAddress;
    private final Map<Integer, List<NamedRoute>> byPort;
    private final List<Javalin> servers = new ArrayList<>();
    private final List<Integer> boundPorts = new ArrayList<>();
    private boolean started;
    private boolean closed;

    /**
     * @param bindAddress the address every listener binds to, e.g. {@code 0.0.0.0}
     * @param routes      the routes; two at the same port and path are refused
     * @throws IllegalArgumentException when two routes share a port and a path
     */
    public RouteListeners(String bindAddress, List<NamedRoute> routes) {
        this.bindAddress = requireNonNull(bindAddress, "bindAddress is null");
        requireNonNull(routes, "routes is null");
        WebSocketRoutes.checkDistinct(routes);
        Map<Integer, List<NamedRoute>> map = new TreeMap<>();
        routes.forEach(r -> map.computeIfAbsent(r.route().port(), p -> new ArrayList<>()).add(r));
        this.byPort = map;
    }

    /**
     * Starts one listener per port.
     *
     * @throws ListenerException     naming the port, the address and the routes' owners when a port cannot be had
     *                               (the listeners started before it are stopped)
     * @throws IllegalStateException when a route's handler fails as it is told its port (all are stopped)
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("the route listeners were already started");
        }
        started = true;
        for (Map.Entry<Integer, List<NamedRoute>> entry : byPort.entrySet()) {
            int port = entry.getKey();
            List<NamedRoute> routes = entry.getValue();
            Javalin server = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.startup.startupWatcherEnabled = false;
                config.jetty.host = bindAddress;
                config.jetty.port = port;
                config.jetty.modifyServer(jetty -> jetty.setStopTimeout(STOP_TIMEOUT_MILLIS));
                routes.forEach(route -> JavalinWebSockets.serve(config, route));
            });
            try {
                server.start();
            } catch (RuntimeException e) {
                stopAll();
                throw new ListenerException(bindAddress, port, owners(routes), e);
            }
            servers.add(server);
            int bound = server.port();
            boundPorts.add(bound);
            try {
                routes.forEach(route -> tellListening(route, bound));
            } catch (IllegalStateException e) {
                stopAll();
                throw e;
            }
            LOG.info("Websocket routes on {}:{}: {}", bindAddress, bound, routes.stream()
                    .map(r -> r.route().path() + " (" + r.owner() + ")").collect(Collectors.joining(", ")));
        }
    }

    /**
     * Tells the route's handler the port its listener got.
     *
     * @throws IllegalStateException naming the route's owner when the handler fails
     */
    public static void tellListening(NamedRoute route, int port) {
        try {
            route.route().handler().listening(port);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(route.owner() + " failed when told that its websocket route "
                    + route.route().path() + " listens on port " + port + ": " + e, e);
        }
    }

    /**
     * The ports listened on, in the order of the routes' ports (the one picked for port 0 first).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized List<Integer> ports() {
        if (!started) {
            throw new IllegalStateException("the route listeners are not started");
        }
        return List.copyOf(boundPorts);
    }

    /** Stops every listener (their connections are closed). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAll();
    }

    private void stopAll() {
        for (Javalin server : servers) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                LOG.warn("A websocket listener did not stop cleanly", e);
            }
        }
        servers.clear();
        boundPorts.clear();
    }

    private static String owners(List<NamedRoute> routes) {
        return routes.stream().map(r -> r.route().path() + " of " + r.owner()).collect(Collectors.joining(", "));
    }

    /** A listener could not start (the port is taken, the address is not this machine's, ...). */
    public static final class ListenerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListenerException(String address, int port, String routes, Throwable cause) {
            super("cannot listen on " + address + ":" + port + " for the websocket routes " + routes + ": "
                    + rootMessage(cause), cause);
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.toString() : root.getMessage();
        }
    }
}
