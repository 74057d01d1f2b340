package dk.sdu.cloud.im.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A plan of injected API failures: each request of a client (not the simulation's own, see
 * {@link EmbeddedKubernetes#newSimulationClient()}) fails with probability {@code rate}, with one of the
 * {@code kinds} that apply to it, chosen at random. The choices come from a random sequence seeded with
 * {@code seed}: the same requests in the same order fail the same way.
 *
 * @param rate        the fraction of requests that fail, 0 to 1
 * @param seed        the seed of the random choices
 * @param kinds       the kinds to choose from (a request to which none applies never fails)
 * @param timeoutHold how long a {@link FaultKind#TIMEOUT} holds its answer (longer than clients wait)
 */
public record RequestFaults(double rate, long seed, Set<FaultKind> kinds, Duration timeoutHold) {

    /** What a real API server waits before it answers 504 (kube-apiserver's default request timeout). */
    public static final Duration DEFAULT_TIMEOUT_HOLD = Duration.ofSeconds(60);

    public RequestFaults {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        requireNonNull(kinds, "kinds is null");
        requireNonNull(timeoutHold, "timeoutHold is null");
        if (rate > 0.0 && kinds.isEmpty()) {
            throw new IllegalArgumentException("a rate above 0 needs at least one fault kind");
        }
        if (timeoutHold.isNegative() || timeoutHold.isZero()) {
            throw new IllegalArgumentException("timeoutHold must be positive, was " + timeoutHold);
        }
        // An enum set keeps the kinds in their declared order (also in toString); unmodifiable, as a record's.
        kinds = Collections.unmodifiableSet(kinds.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(kinds));
    }

    /** A plan whose timeouts hold their answer for {@link #DEFAULT_TIMEOUT_HOLD}. */
    public RequestFaults(double rate, long seed, Set<FaultKind> kinds) {
        this(rate, seed, kinds, DEFAULT_TIMEOUT_HOLD);
    }

    /** No faults (the default of an embedded API). */
    public static RequestFaults none() {
        return new RequestFaults(0.0, 0L, Set.of());
    }

    /** This plan with another timeout hold. */
    public RequestFaults withTimeoutHold(Duration hold) {
        return new RequestFaults(rate, seed, kinds, hold);
    }
}
