package dk.sdu.cloud.im.harness.console;

import static java.util.Objects.requireNonNull;

/** Ends a console request with an HTTP status and a JSON body naming what is wrong. */
public final class ConsoleRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the HTTP status (4xx or 5xx)
     * @param why    what is wrong, for the person at the browser
     */
    public ConsoleRefusal(int status, String why) {
        super(requireNonNull(why, "why is null"));
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal's status is 4xx or 5xx, got " + status);
        }
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
