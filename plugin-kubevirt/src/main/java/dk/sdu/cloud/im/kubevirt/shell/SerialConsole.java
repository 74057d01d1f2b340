package dk.sdu.cloud.im.kubevirt.shell;

/** An open serial console stream of a VM. Safe to call from any thread. */
public interface SerialConsole {

    /** Bytes for the guest's serial port, as they are (the user's keys). */
    void send(byte[] bytes);

    /** Ends the stream. Does not call {@link SerialConsoleListener#closed}. */
    void close();
}
