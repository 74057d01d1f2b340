package dk.sdu.cloud.im.harness.client;

/**
 * A request to a running IM failed; the message says why, for a person.
 */
public final class HarnessClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status, or 0 when no answer came
     */
    public HarnessClientException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of the answer, or 0 when the server was not reached or did not answer. */
    public int status() {
        return status;
    }
}
