package dk.sdu.cloud.im.kubevirt.agent;

/** A job's guest agent is not connected, or did not answer a request in time. */
public class NoGuestAgentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoGuestAgentException(String message) {
        super(message);
    }
}
