package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.socket.WebSocketRoute;

import java.net.URI;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The websocket routes of the agent endpoint, from the configured {@code agentEndpoint} URL: its port (80 for
 * {@code ws://}, 443 for {@code wss://} when the URL names none) and path for control connections, the same
 * path with {@code /tty} for TTY connections. The host name is the guests' business (how they reach the IM);
 * the host listens on every interface. Port 0 leaves the port to the host ({@link AgentEndpointUrl}).
 */
public final class AgentRoutes {
    /** Appended to the control path for TTY connections. */
    public static final String TTY_SUFFIX = "/tty";

    private AgentRoutes() {
    }

    /** The control route and the TTY route, served by the endpoint's handlers. */
    public static List<WebSocketRoute> of(String agentEndpoint, AgentEndpoint endpoint) {
        return of(new AgentEndpointUrl(agentEndpoint), endpoint);
    }

    /**
     * The control route and the TTY route, served by the endpoint's handlers; the port the host binds for them (the
     * one it picks, for port 0) is noted in {@code url}.
     */
    public static List<WebSocketRoute> of(AgentEndpointUrl url, AgentEndpoint endpoint) {
        requireNonNull(url, "url is null");
        requireNonNull(endpoint, "endpoint is null");
        URI uri = url.configured();
        int port = uri.getPort() != -1 ? uri.getPort() : "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return List.of(
                new WebSocketRoute(port, path, AgentEndpoint.MAX_FRAME_BYTES, url.noting(endpoint.controlHandler())),
                new WebSocketRoute(port, base + TTY_SUFFIX, AgentEndpoint.MAX_FRAME_BYTES,
                        url.noting(endpoint.ttyHandler())));
    }
}
