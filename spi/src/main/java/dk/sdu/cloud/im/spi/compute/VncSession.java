package dk.sdu.cloud.im.spi.compute;

import java.nio.ByteBuffer;

/**
 * A user's view of a machine's screen, opened by {@link ComputeBackend#openVnc}: a raw RFB byte stream both ways
 * (the host does not look into it). Safe to call from any thread; calls after {@link #close()} do nothing.
 */
public interface VncSession extends AutoCloseable {

    /** Bytes from the user's viewer, in order; the buffer is valid only during the call. */
    void send(ByteBuffer data);

    /** The user left: ends the connection to the machine's screen. Does not call {@link VncOutput#closed}. */
    @Override
    void close();
}
