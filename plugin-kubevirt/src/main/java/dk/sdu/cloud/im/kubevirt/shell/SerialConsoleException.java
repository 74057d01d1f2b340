package dk.sdu.cloud.im.kubevirt.shell;

/** A VM's serial console could not be opened; the message says why, for the user. */
public class SerialConsoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SerialConsoleException(String message, Throwable cause) {
        super(message, cause);
    }
}
