package dk.sdu.cloud.im.harness.core.outbox;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How {@link CoreUpdateOutbox} delivers.
 *
 * @param maxBatch     the most updates sent to Core in one call, and read from the store at a time
 *                     (configuration key {@code harness.core.outbox.maxBatch}; 1 to {@value #MAX_BATCH_LIMIT})
 * @param firstBackOff the wait after the first failed delivery; it doubles with each failure in a row
 * @param maxBackOff   the longest wait between tries
 */
public record OutboxSettings(int maxBatch, Duration firstBackOff, Duration maxBackOff) {
    /** The largest batch: Core's bulk calls are meant for up to this many items (as UCloud's IM sends them). */
    public static final int MAX_BATCH_LIMIT = 1000;
    /** 100 updates per call; back-off 1 s doubling up to 1 min. */
    public static final OutboxSettings DEFAULTS = new OutboxSettings(100, Duration.ofSeconds(1),
            Duration.ofMinutes(1));

    public OutboxSettings {
        if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
            throw new IllegalArgumentException("harness.core.outbox.maxBatch must be between 1 and "
                    + MAX_BATCH_LIMIT + ", is " + maxBatch);
        }
        requireNonNull(firstBackOff, "firstBackOff is null");
        requireNonNull(maxBackOff, "maxBackOff is null");
        if (firstBackOff.isNegative() || firstBackOff.isZero()) {
            throw new IllegalArgumentException("firstBackOff must be positive, is " + firstBackOff);
        }
        if (maxBackOff.compareTo(firstBackOff) < 0) {
            throw new IllegalArgumentException("maxBackOff (" + maxBackOff + ") is shorter than firstBackOff ("
                    + firstBackOff + ")");
        }
    }

    /** These settings with another {@link #maxBatch}. */
    public OutboxSettings withMaxBatch(int maxBatch) {
        return new OutboxSettings(maxBatch, firstBackOff, maxBackOff);
    }
}
