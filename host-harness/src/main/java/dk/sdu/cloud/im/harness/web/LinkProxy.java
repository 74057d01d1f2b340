package dk.sdu.cloud.im.harness.web;

import dk.sdu.cloud.im.harness.api.JsonErrorHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The reverse proxy of public links in embedded mode: a Jetty server on its own port that sends each request to where
 * {@link LinkRoutes} says its {@code Host} goes (a VM's address at the link's port), as a cluster's Ingress does.
 *
 * <p>The handlers, in order: {@link LinkRouting} finds the target by the {@code Host} (or answers 400, 404, 503);
 * Jetty's {@link WebSocketUpgradeHandler} takes websocket upgrades ({@link LinkWebSocketNegotiator} opens the same
 * websocket to the target and relays frames); Jetty's reverse proxy handler takes every other request
 * ({@link LinkHttpForwarder}). Keep-alive, chunked and streamed bodies are Jetty's on both sides: each request on a
 * connection is routed by its own {@code Host}. One {@link HttpClient} on the server's bounded thread pool carries
 * the requests and the websockets to the targets.
 *
 * <p>Errors are JSON ({@code {"why": ...}}): an unknown domain 404, a machine that does not run 503, a target that
 * refuses the connection 502 (one that does not answer in time 504), a request Jetty cannot read 400, a request head
 * over {@value #MAX_HEAD_BYTES} bytes 431 ({@link JsonErrorHandler}).
 */
public final class LinkProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkProxy.class);
    /** The largest request head accepted, as the provider API's. */
    static final int MAX_HEAD_BYTES = 8 * 1024;
    /** Threads of the proxy's server and client together; Jetty's I/O is non-blocking, these run handlers. */
    private static final int MAX_THREADS = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a connection, either side, may carry nothing: long enough for a slow page or a quiet event stream. */
    private static final Duration HTTP_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** How long a websocket may carry no frame: terminals and notebooks are quiet for long, and ping less often. */
    private static final Duration WEBSOCKET_IDLE_TIMEOUT = Duration.ofHours(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Server server;
    private final ServerConnector connector;
    private final String bindHost;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean closed;

    /**
     * @param bindHost the address to listen on
     * @param port     the port; 0 for a free one
     * @param routes   where each host's requests go
     */
    public LinkProxy(String bindHost, int port, LinkRoutes routes) {
        this.bindHost = requireNonNull(bindHost, "bindHost is null");
        requireNonNull(routes, "routes is null");
        JsonMapper json = JsonMapper.builder().build();
        JsonAnswer answer = new JsonAnswer(json);

        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
        threads.setName("link-proxy");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT.toMillis());

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEAD_BYTES);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bindHost);
        connector.setPort(port);
        connector.setIdleTimeout(HTTP_IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler(json, MAX_HEAD_BYTES));

        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        client.setIdleTimeout(HTTP_IDLE_TIMEOUT.toMillis());
        // A target's redirect is for the visitor's browser to follow, through the link's domain.
        client.setFollowRedirects(false);
        WebSocketCoreClient websockets = new WebSocketCoreClient(client, null);
        // Started before the handlers, stopped after them.
        server.addBean(client, true);
        server.addBean(websockets, true);

        LinkHttpForwarder forwarder = new LinkHttpForwarder(client, answer);
        WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
        upgrades.addMapping("/*", new LinkWebSocketNegotiator(websockets, answer, CONNECT_TIMEOUT,
                WEBSOCKET_IDLE_TIMEOUT));
        upgrades.setHandler(forwarder);
        server.setHandler(new LinkRouting(routes, answer, upgrades));
    }

    /**
     * Starts listening.
     *
     * @return the port it listens on
     * @throws IOException when it cannot listen
     */
    public int start() throws IOException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("the link proxy was already started");
            }
            started = true;
            try {
                server.start();
            } catch (IOException e) {
                stopQuietly();
                throw e;
            } catch (Exception e) {
                stopQuietly();
                throw new IOException(e.getMessage(), e);
            }
            LOG.info("Public links' proxy listening on {}:{}", bindHost, connector.getLocalPort());
            return connector.getLocalPort();
        }
    }

    /** The port it listens on. */
    public int port() {
        synchronized (lifecycle) {
            if (!started || connector.getLocalPort() <= 0) {
                throw new IllegalStateException("the link proxy is not started");
            }
            return connector.getLocalPort();
        }
    }

    /** Stops listening and ends every connection and websocket. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("The public links' proxy did not stop cleanly: {}", e.toString());
        }
    }
}
