package dk.sdu.cloud.im.harness.chaos;

import java.util.EnumSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Which Kubernetes API requests of a run fail, and how ({@code --fault-rate}).
 *
 * @param rate  the share of requests that fail, {@code 0 < rate < 1}
 * @param seed  the seed that decides which
 * @param kinds the ways they fail, one drawn per failing request
 */
record FaultPlan(double rate, long seed, Set<Kind> kinds) {
    /** How an API request fails. */
    enum Kind {
        /** A 5xx answer. */
        SERVER_ERROR,
        /** No answer within the client's time. */
        TIMEOUT,
        /** 409 Conflict, as for a stale resourceVersion. */
        CONFLICT
    }

    FaultPlan {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("a fault rate is above 0 and below 1, got " + rate);
        }
        kinds = Set.copyOf(requireNonNull(kinds, "kinds is null"));
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a fault plan needs at least one kind of fault");
        }
    }

    /** Every kind of fault. */
    static FaultPlan of(double rate, long seed) {
        return new FaultPlan(rate, seed, EnumSet.allOf(Kind.class));
    }
}
