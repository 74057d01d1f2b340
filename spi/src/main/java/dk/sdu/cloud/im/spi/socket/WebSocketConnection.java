package dk.sdu.cloud.im.spi.socket;

import java.nio.ByteBuffer;

/**
 * One peer's websocket connection, as the host hands it to a {@link WebSocketHandler}. Safe to use from any
 * thread; sends are delivered in the order they are made.
 */
public interface WebSocketConnection {

    /** The peer's address, {@code host:port}, for logs and for slowing down repeated failures. */
    String remoteAddress();

    /** Sends a text frame. Fails quietly (the connection is then closing) when the peer is gone. */
    void sendText(String text);

    /** Sends a binary frame with the buffer's remaining bytes. Fails quietly when the peer is gone. */
    void sendBinary(ByteBuffer data);

    /** Closes the connection with a status and a short reason; closing a closed connection does nothing. */
    void close(int code, String reason);

    /** Whether the connection is still open. */
    boolean isOpen();
}
