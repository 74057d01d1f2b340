package dk.sdu.cloud.im.harness.serve;

import static java.util.Objects.requireNonNull;

/**
 * The IM cannot serve; the message says why for the operator, and the exit status says what kind of problem
 * it is.
 */
public final class ServeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The configuration (or a file it names) is not usable for serving. */
    public static final int CONFIGURATION = 2;
    /** Something outside the configuration stands in the way: the port, the cluster, the job store. */
    public static final int ENVIRONMENT = 1;

    private final int exitStatus;

    public ServeException(int exitStatus, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.exitStatus = exitStatus;
    }

    public ServeException(int exitStatus, String message) {
        this(exitStatus, message, null);
    }

    /** The process exit status that fits: {@link #CONFIGURATION} or {@link #ENVIRONMENT}. */
    public int exitStatus() {
        return exitStatus;
    }
}
