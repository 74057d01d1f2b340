package dk.sdu.cloud.im.simulator;

/**
 * A way an API request can fail, as {@link EmbeddedKubernetes#faults(RequestFaults)} injects it. Each answer
 * carries a Kubernetes {@code Status} body, so fabric8 clients see a {@code KubernetesClientException} with its
 * code and reason.
 */
public enum FaultKind {
    /** 500, reason {@code InternalError}. The request is not carried out. Any request but a watch. */
    INTERNAL_ERROR,
    /** 503, reason {@code ServiceUnavailable}. The request is not carried out. Any request but a watch. */
    SERVICE_UNAVAILABLE,
    /**
     * The request is carried out (a write is stored), but its answer is held for
     * {@link RequestFaults#timeoutHold()} and is then a 504 with reason {@code Timeout}, as a real API server
     * answers a request that outlives its request timeout. A client whose own timeout is shorter gives up
     * first, not knowing whether its write happened. No thread waits meanwhile (a timer answers). Any request
     * but a watch.
     */
    TIMEOUT,
    /** 409, reason {@code Conflict}, as for a stale {@code resourceVersion}. Not carried out. Writes only. */
    CONFLICT,
    /**
     * The watch is accepted and its websocket closed right away, as an API server ends a watch; the client
     * must watch again. Watches only, and only when asked for: no other kind touches watches.
     */
    WATCH_CLOSE;

    /** Whether this kind can be injected into a request of this verb. */
    boolean appliesTo(ApiVerb verb) {
        return switch (this) {
            case WATCH_CLOSE -> verb == ApiVerb.WATCH;
            case CONFLICT -> verb.isWrite();
            case INTERNAL_ERROR, SERVICE_UNAVAILABLE, TIMEOUT -> verb != ApiVerb.WATCH;
        };
    }
}
