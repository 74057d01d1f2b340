/**
 * Websocket endpoints that a plugin serves through the host's HTTP server (for example the endpoint that
 * guests' agents dial), without the plugin seeing the server library.
 */
package dk.sdu.cloud.im.spi.socket;
