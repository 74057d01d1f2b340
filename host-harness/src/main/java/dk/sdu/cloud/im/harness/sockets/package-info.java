/**
 * Serving websocket routes ({@link dk.sdu.cloud.im.spi.socket.WebSocketRoute}) with Javalin: the plugins' routes
 * and the host's own shell route, each connection handed to its handler through a
 * {@link dk.sdu.cloud.im.spi.socket.WebSocketConnection} that hides Jetty.
 */
package dk.sdu.cloud.im.harness.sockets;
