package dk.sdu.cloud.im.kubevirt.stream;

import java.nio.ByteBuffer;

/** What a {@link VmiStream} delivers, from one thread at a time, in order. */
public interface VmiStreamListener {

    /** Bytes the VM sent. Valid only during the call. */
    void output(ByteBuffer bytes);

    /**
     * The stream ended from the cluster's side or broke (not after {@link VmiStream#close()}). Called at most once.
     *
     * @param code   the websocket close status (1006 when it broke without one)
     * @param reason a short reason, possibly empty
     */
    void closed(int code, String reason);
}
