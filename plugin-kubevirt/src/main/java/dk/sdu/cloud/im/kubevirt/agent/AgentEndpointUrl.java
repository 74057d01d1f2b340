package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * The URL the guests' agents dial: the configured {@code agentEndpoint}, or, when it names port 0, the same URL at
 * the port the host picked for the endpoint's routes as it bound them (so that tests and the demo never choose a
 * "free" port that someone else may take before the IM binds it). Known from the host's
 * {@link WebSocketHandler#listening(int)} on, which comes before the IM carries out any job.
 */
public final class AgentEndpointUrl {
    private final URI configured;
    private volatile int boundPort = -1;

    /** @param agentEndpoint the configured URL (already validated: a {@code ws://} or {@code wss://} URL) */
    public AgentEndpointUrl(String agentEndpoint) {
        this.configured = URI.create(requireNonNull(agentEndpoint, "agentEndpoint is null"));
    }

    /** The URL as configured. */
    public URI configured() {
        return configured;
    }

    /** Whether the configured URL leaves the port to the host. */
    public boolean hostPicksPort() {
        return configured.getPort() == 0;
    }

    /**
     * The URL for the guests.
     *
     * @throws IllegalStateException when the port is the host's to pick and its listener has not bound it yet
     */
    public String url() {
        if (!hostPicksPort()) {
            return configured.toString();
        }
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("the agent endpoint " + configured + " (port 0: the host picks one) does "
                    + "not listen yet");
        }
        // From the raw parts, so that the path reaches the guests exactly as configured (no query or fragment:
        // the configuration refuses them).
        String userInfo = configured.getRawUserInfo() == null ? "" : configured.getRawUserInfo() + "@";
        String path = configured.getRawPath() == null ? "" : configured.getRawPath();
        return configured.getScheme() + "://" + userInfo + configured.getHost() + ":" + port + path;
    }

    /** {@link #url()} once known; before, the configured URL (a preview's, such as {@code ucloud-im render}'s). */
    public String shown() {
        return hostPicksPort() && boundPort < 0 ? configured.toString() : url();
    }

    /** {@code handler}, which also takes note of the port its route's listener got. */
    WebSocketHandler noting(WebSocketHandler handler) {
        requireNonNull(handler, "handler is null");
        return new WebSocketHandler() {
            @Override
            public WebSocketListener open(WebSocketConnection connection) {
                return handler.open(connection);
            }

            @Override
            public void listening(int port) {
                boundPort = port;
                handler.listening(port);
            }
        };
    }
}
