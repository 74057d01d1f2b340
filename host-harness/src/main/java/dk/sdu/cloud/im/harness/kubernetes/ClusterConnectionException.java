package dk.sdu.cloud.im.harness.kubernetes;

/** The configured Kubernetes API cannot be used; the message says why and, where it can, what to do. */
public final class ClusterConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterConnectionException(String message) {
        super(message);
    }

    public ClusterConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
