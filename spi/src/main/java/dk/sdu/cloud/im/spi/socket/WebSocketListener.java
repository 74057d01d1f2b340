package dk.sdu.cloud.im.spi.socket;

import java.nio.ByteBuffer;

/** What happens on one websocket connection, as its peer sends it. */
public interface WebSocketListener {

    /** A text frame (at most the route's {@code maxFrameBytes}). */
    void onText(String text);

    /** A binary frame (at most the route's {@code maxFrameBytes}); the buffer is valid only during the call. */
    void onBinary(ByteBuffer data);

    /**
     * The connection ended, by either side or by an error. Called exactly once, last.
     *
     * @param code   the websocket close status (1006 when the connection broke without one)
     * @param reason the close reason, possibly empty
     */
    void onClose(int code, String reason);
}
