package dk.sdu.cloud.im.kubevirt.agent;

import java.nio.ByteBuffer;

/** What a {@link GuestTty} delivers, from one thread at a time, in order. */
public interface GuestTtyListener {

    /** Bytes the PTY wrote; UTF-8 sequences may be split between calls. Valid only during the call. */
    void output(ByteBuffer bytes);

    /**
     * The TTY connection ended from the guest's side or broke (not after {@link GuestTty#close()}).
     *
     * @param code   the websocket close status (1000: the shell exited)
     * @param reason the close reason, possibly empty
     */
    void closed(int code, String reason);
}
