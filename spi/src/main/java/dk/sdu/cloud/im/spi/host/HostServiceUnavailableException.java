package dk.sdu.cloud.im.spi.host;

import static java.util.Objects.requireNonNull;

/**
 * A host service cannot answer now because something it depends on (UCloud/Core) does not answer; the same
 * call may succeed later. It is neither a rejection of the job nor a fault of the plugin: a plugin lets it pass
 * (it does not turn it into a {@code JobRejectedException}), and the host answers the request it came from
 * with 503 and tries again where it drives the work itself.
 */
public class HostServiceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what cannot be reached and what was asked, for the operator and the caller
     * @param cause   the failure of the call, if any
     */
    public HostServiceUnavailableException(String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
    }
}
