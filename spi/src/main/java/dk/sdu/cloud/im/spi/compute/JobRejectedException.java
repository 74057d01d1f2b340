package dk.sdu.cloud.im.spi.compute;

import static java.util.Objects.requireNonNull;

/**
 * A job cannot run on this provider. The message is for the user and says why; nothing was created.
 */
public class JobRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why the job was rejected, for the user
     */
    public JobRejectedException(String message) {
        super(requireNonNull(message, "message is null"));
    }
}
