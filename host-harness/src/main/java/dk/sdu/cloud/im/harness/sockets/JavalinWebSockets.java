package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import io.javalin.config.JavalinConfig;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Serves one {@link dk.sdu.cloud.im.spi.socket.WebSocketRoute} on a Javalin server: each upgrade at the route's path is handed to its
 * handler as a {@link JettyConnection}. The route's frame limit is Jetty's message limit for the connection,
 * so a longer frame (or message) closes it with 1009 before the handler sees any of it.
 */
public final class JavalinWebSockets {
    private static final Logger LOG = LoggerFactory.getLogger(JavalinWebSockets.class);
    /**
     * A connection silent for this long is closed by Jetty (1001). Routes keep their peers talking (the agent's
     * heartbeats; the shell's pings), so only a dead peer reaches it.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

    private JavalinWebSockets() {
    }

    /** How often a route with keep-alive pings its peers, so that proxies do not cut a quiet connection. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(30);

    /** Adds a plugin's route to a server being configured. */
    public static void serve(JavalinConfig config, NamedRoute named) {
        requireNonNull(named, "named is null");
        serve(config, named.owner(), named.route().path(), named.route().maxFrameBytes(), named.route().handler(),
                false);
    }

    /**
     * Adds a route to a server being configured.
     *
     * @param owner         who serves it, for logs
     * @param path          the exact path
     * @param maxFrameBytes the largest frame (and message) accepted; a larger one closes the connection with 1009
     * @param handler       what serves each connection
     * @param keepAlive     whether to ping the peer every {@link #PING_INTERVAL} (for peers that may be quiet for
     *                      long, such as a user in a shell)
     */
    public static void serve(JavalinConfig config, String owner, String path, int maxFrameBytes,
                             WebSocketHandler handler, boolean keepAlive) {
        requireNonNull(handler, "handler is null");
        serve(config, owner, path, maxFrameBytes, (PeerHandler) handler::open, keepAlive);
    }

    /**
     * Adds one of the host's own routes to a server being configured: its handler sees the upgrade's query and
     * may ping ({@link PeerConnection}).
     *
     * @see #serve(JavalinConfig, String, String, int, WebSocketHandler, boolean)
     */
    public static void serve(JavalinConfig config, String owner, String path, int maxFrameBytes,
                             PeerHandler handler, boolean keepAlive) {
        requireNonNull(config, "config is null");
        Connections connections = new Connections(requireNonNull(owner, "owner is null"),
                requireNonNull(path, "path is null"), maxFrameBytes, requireNonNull(handler, "handler is null"),
                keepAlive);
        config.routes.ws(path, connections::configure);
    }

    /** The live connections of one route, by their Jetty session. */
    private static final class Connections {
        private final String owner;
        private final String where;
        private final int maxFrameBytes;
        private final PeerHandler handler;
        private final boolean keepAlive;
        private final Map<Session, JettyConnection> live = new ConcurrentHashMap<>();

        Connections(String owner, String path, int maxFrameBytes, PeerHandler handler, boolean keepAlive) {
            if (maxFrameBytes < 1) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 1, got " + maxFrameBytes);
            }
            this.owner = owner;
            this.where = "path " + path;
            this.maxFrameBytes = maxFrameBytes;
            this.handler = handler;
            this.keepAlive = keepAlive;
        }

        void configure(WsConfig ws) {
            ws.onConnect(ctx -> open(ctx));
            ws.onMessage(ctx -> {
                JettyConnection connection = live.get(ctx.session);
                if (connection != null) {
                    connection.deliverText(ctx.message());
                }
            });
            ws.onBinaryMessage(ctx -> {
                JettyConnection connection = live.get(ctx.session);
                if (connection != null) {
                    connection.deliverBinary(ctx.data());
                }
            });
            ws.onClose(ctx -> {
                if (keepAlive) {
                    ctx.disableAutomaticPings();
                }
                JettyConnection connection = live.remove(ctx.session);
                if (connection != null) {
                    connection.ended(ctx.status(), ctx.reason() == null ? "" : ctx.reason());
                }
            });
            ws.onError(ctx -> {
                // Jetty closes the connection after an error and then calls onClose (1009, 1006, ...).
                LOG.debug("websocket {} at {}: {}", owner, where, ctx.error().toString());
            });
        }

        private void open(WsContext ctx) {
            Session session = ctx.session;
            session.setMaxTextMessageSize(maxFrameBytes);
            session.setMaxBinaryMessageSize(maxFrameBytes);
            session.setIdleTimeout(IDLE_TIMEOUT);
            JettyConnection connection = new JettyConnection(session, owner, ctx.queryParamMap());
            live.put(session, connection);
            WebSocketListener listener;
            try {
                listener = requireNonNull(handler.open(connection), "the handler returned no listener");
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("websocket {} at {}: the handler failed to take a connection", owner, where, e);
                live.remove(session);
                connection.close(1011, "server error");
                return;
            }
            connection.listen(listener);
            if (keepAlive) {
                ctx.enableAutomaticPings(PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
