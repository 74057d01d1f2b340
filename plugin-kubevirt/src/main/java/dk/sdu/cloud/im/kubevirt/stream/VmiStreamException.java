package dk.sdu.cloud.im.kubevirt.stream;

/** A VM's stream could not be opened; the message says why, for the user. */
public class VmiStreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VmiStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
