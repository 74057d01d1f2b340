package dk.sdu.cloud.im.harness.core;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How {@link CoreClient} calls Core.
 *
 * @param callTimeout  how long one HTTP exchange may take (UCloud's IM: 10 s)
 * @param attempts     how often a call that may succeed later is tried in all (at least 1)
 * @param firstBackOff the wait before the second attempt; it doubles each time
 * @param maxBackOff   the longest wait between attempts
 * @param renewBefore  the access token is renewed when less than this is left (UCloud's IM: 3 minutes)
 */
public record CoreClientSettings(Duration callTimeout, int attempts, Duration firstBackOff, Duration maxBackOff,
                                 Duration renewBefore) {
    /** UCloud's IM's timeout and renewal margin, 5 attempts from 500 ms up to 8 s apart. */
    public static final CoreClientSettings DEFAULT = new CoreClientSettings(Duration.ofSeconds(10), 5,
            Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofMinutes(3));

    public CoreClientSettings {
        requireNonNull(callTimeout, "callTimeout is null");
        requireNonNull(firstBackOff, "firstBackOff is null");
        requireNonNull(maxBackOff, "maxBackOff is null");
        requireNonNull(renewBefore, "renewBefore is null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
    }

    /** The wait after the failed attempt number {@code attempt} (from 1). */
    public Duration backOffAfter(int attempt) {
        Duration wait = firstBackOff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackOff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackOff) > 0 ? maxBackOff : wait;
    }
}
