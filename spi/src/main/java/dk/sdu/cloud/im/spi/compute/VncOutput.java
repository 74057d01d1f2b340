package dk.sdu.cloud.im.spi.compute;

import java.nio.ByteBuffer;

/**
 * Where a {@link VncSession} sends the machine's side of the RFB stream. Implemented by the host; called from one
 * thread at a time, in order.
 */
public interface VncOutput {

    /** Bytes for the user's viewer; the buffer is valid only during the call (the host copies what it keeps). */
    void data(ByteBuffer data);

    /**
     * The stream ended on the backend's side (the VM stopped, another viewer took the screen over). Called at most
     * once; the host then closes the user's connection. Not called after {@link VncSession#close()}.
     *
     * @param reason a short text for the user
     */
    void closed(String reason);
}
