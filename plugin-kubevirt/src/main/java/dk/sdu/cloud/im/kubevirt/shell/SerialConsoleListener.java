package dk.sdu.cloud.im.kubevirt.shell;

import java.nio.ByteBuffer;

/** What a {@link SerialConsole} delivers, from one thread at a time, in order. */
public interface SerialConsoleListener {

    /** Bytes the guest wrote to its serial port. Valid only during the call. */
    void output(ByteBuffer bytes);

    /**
     * The stream ended from the cluster's side or broke (not after {@link SerialConsole#close()}).
     *
     * @param code   the websocket close status (1006 when it broke without one)
     * @param reason a short reason, possibly empty
     */
    void closed(int code, String reason);
}
