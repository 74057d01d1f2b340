package dk.sdu.cloud.im.spi.socket;

import static java.util.Objects.requireNonNull;

/**
 * A websocket endpoint a plugin asks the host to serve.
 *
 * <p>The host listens on {@code port} (on every interface unless its own configuration says otherwise; the
 * same listener serves every route of that port) and hands each upgrade at exactly {@code path} to
 * {@code handler}. A frame longer than {@code maxFrameBytes} closes its connection with status 1009 before
 * the handler sees it, so a handler never buffers more than that from a peer.
 *
 * <p>Port {@code 0} asks for a port the host picks when it starts listening (the routes at port 0 share one
 * listener): a free one, without the race of choosing a number first and binding it later. The host tells each
 * route's handler the port it got ({@link WebSocketHandler#listening(int)}) before it serves requests that may need
 * it, so that the plugin can hand the address to its peers.
 *
 * @param port          the TCP port, 1-65535, or 0 for one the host picks
 * @param path          the request path, starting with {@code /}, e.g. {@code /api/vmagent}
 * @param maxFrameBytes the largest text or binary frame accepted, at least 1
 * @param handler       what serves each connection
 */
public record WebSocketRoute(int port, String path, int maxFrameBytes, WebSocketHandler handler) {
    public WebSocketRoute {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, or 0 for one the host picks, got " + port);
        }
        requireNonNull(path, "path is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1, got " + maxFrameBytes);
        }
        requireNonNull(handler, "handler is null");
    }
}
