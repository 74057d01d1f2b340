package dk.sdu.cloud.im.harness.core;

import static java.util.Objects.requireNonNull;

/**
 * A call to UCloud/Core that did not succeed: Core's answer with its status and {@code why}, or no answer at all
 * ({@link #status()} 0: refused, timed out, cut off).
 */
public final class CoreCallException extends Exception {
    private final String call;
    private final int status;
    private final String why;

    /**
     * @param call   what was called, e.g. {@code POST /api/jobs/control/update}
     * @param status Core's HTTP status, or 0 when it did not answer
     * @param why    Core's {@code why}, or what went wrong on the way
     */
    public CoreCallException(String call, int status, String why, Throwable cause) {
        super(call + (status == 0 ? " got no answer: " : " answered " + status + ": ") + why, cause);
        this.call = requireNonNull(call, "call is null");
        this.status = status;
        this.why = requireNonNull(why, "why is null");
    }

    public CoreCallException(String call, int status, String why) {
        this(call, status, why, null);
    }

    public String call() {
        return call;
    }

    /** Core's HTTP status, or 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** Core's reason, or what went wrong on the way. */
    public String why() {
        return why;
    }

    /** Whether the same call may succeed later: no answer, 408, 429, or a 5xx. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }

    /** Whether Core says the resource is not there or not the provider's (404, 403). */
    public boolean notFound() {
        return status == 404 || status == 403;
    }
}
