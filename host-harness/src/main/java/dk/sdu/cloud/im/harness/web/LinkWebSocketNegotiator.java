package dk.sdu.cloud.im.harness.web;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Accepts a visitor's websocket upgrade only once the link's target accepted the same upgrade: Jetty's HTTP proxy
 * does not carry upgrades, so the proxy opens its own websocket to {@code ws://<target><path>?<query>} (with the
 * visitor's subprotocols, its other end-to-end headers and {@code X-Forwarded-*}), answers the visitor with the
 * subprotocol the target chose, and relays frames between the two ({@link WebSocketRelay}).
 *
 * <p>The visitor's upgrade waits on the target's on a server thread, bounded by the upgrade timeout: the answer
 * (101, with the chosen subprotocol) cannot be given before. A target that refuses is a JSON 502, one that does not
 * answer in time 504.
 */
final class LinkWebSocketNegotiator implements WebSocketNegotiator {
    /** The handshake's own fields and hop-by-hop ones: each side of the proxy has its own. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "upgrade", "keep-alive",
            "proxy-connection", "proxy-authorization", "te", "trailer", "transfer-encoding", "content-length",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
            "sec-websocket-accept", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port");

    private final WebSocketCoreClient client;
    private final JsonAnswer answer;
    private final Duration upgradeTimeout;
    private final Duration idleTimeout;

    /**
     * @param client         opens the websockets to the targets; started and stopped by whoever owns it
     * @param answer         writes the JSON errors
     * @param upgradeTimeout how long the target may take to accept the upgrade
     * @param idleTimeout    how long a websocket may carry no frame, each side
     */
    LinkWebSocketNegotiator(WebSocketCoreClient client, JsonAnswer answer, Duration upgradeTimeout,
                            Duration idleTimeout) {
        this.client = requireNonNull(client, "client is null");
        this.answer = requireNonNull(answer, "answer is null");
        this.upgradeTimeout = requireNonNull(upgradeTimeout, "upgradeTimeout is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
    }

    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        InetSocketAddress target = LinkRouting.target(request);
        String host = LinkRouting.hostOf(request.getHeaders().get(HttpHeader.HOST));
        WebSocketRelay relay = new WebSocketRelay();
        CoreClientUpgradeRequest upgrade = CoreClientUpgradeRequest.from(client, targetUri(request, target),
                relay.targetSide());
        upgrade.setSubProtocols(request.getSubProtocols());
        upgrade.headers(headers -> {
            for (HttpField field : request.getHeaders()) {
                if (!NOT_FORWARDED.contains(field.getLowerCaseName())) {
                    headers.add(field);
                }
            }
            ForwardedHeaders.add(request, headers);
        });
        upgrade.timeout(upgradeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        Configuration.ConfigurationCustomizer configuration = new Configuration.ConfigurationCustomizer();
        customize(configuration);
        upgrade.setConfiguration(configuration);
        CoreSession session;
        try {
            // The client's own timeout ends the wait; the bound here only guards against it not firing.
            session = client.connect(upgrade).get(upgradeTimeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | IOException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            int status = cause instanceof TimeoutException ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
            answer.write(response, status, "the job behind " + host + " did not accept the websocket at "
                    + request.getHttpURI().getPathQuery() + " (" + cause.getMessage() + "); is its web server running?",
                    callback);
            return null;
        } catch (TimeoutException e) {
            answer.write(response, HttpStatus.GATEWAY_TIMEOUT_504, "the job behind " + host
                    + " did not accept the websocket in time", callback);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.write(response, HttpStatus.SERVICE_UNAVAILABLE_503, "the links' proxy is stopping", callback);
            return null;
        }
        String subProtocol = session.getNegotiatedSubProtocol();
        if (subProtocol != null && !subProtocol.isEmpty()) {
            response.setAcceptedSubProtocol(subProtocol);
        }
        return relay.visitorSide();
    }

    @Override
    public void customize(Configuration configuration) {
        configuration.setIdleTimeout(idleTimeout);
    }

    private static URI targetUri(ServerUpgradeRequest request, InetSocketAddress target) {
        String pathQuery = request.getHttpURI().getPathQuery();
        return URI.create("ws://" + hostLiteral(target) + ":" + target.getPort()
                + (pathQuery == null || pathQuery.isEmpty() ? "/" : pathQuery));
    }

    private static String hostLiteral(InetSocketAddress target) {
        String host = target.getHostString();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host.toLowerCase(Locale.ROOT);
    }
}
