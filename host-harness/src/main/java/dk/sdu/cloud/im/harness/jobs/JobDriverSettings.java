package dk.sdu.cloud.im.harness.jobs;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How the {@link JobDriver} works.
 *
 * @param workers         how many backend operations run at the same time, at most
 * @param firstRetryDelay how long it waits before the first retry of a failed operation; each further retry
 *                        waits twice as long as the one before
 * @param maxRetryDelay   the longest wait between retries
 * @param shutdownWait    how long a close waits for the operations under way
 */
public record JobDriverSettings(int workers, Duration firstRetryDelay, Duration maxRetryDelay, Duration shutdownWait) {
    /** Operations in flight when nothing else is configured. */
    public static final int DEFAULT_WORKERS = 4;

    public JobDriverSettings {
        requireNonNull(firstRetryDelay, "firstRetryDelay is null");
        requireNonNull(maxRetryDelay, "maxRetryDelay is null");
        requireNonNull(shutdownWait, "shutdownWait is null");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
            throw new IllegalArgumentException("need 0 < firstRetryDelay <= maxRetryDelay, got " + firstRetryDelay
                    + " and " + maxRetryDelay);
        }
        if (shutdownWait.isNegative()) {
            throw new IllegalArgumentException("shutdownWait is negative");
        }
    }

    /** {@code workers} workers; retries after 1 s, 2 s, 4 s, ... up to a minute; 30 s for a close. */
    public static JobDriverSettings withWorkers(int workers) {
        return new JobDriverSettings(workers, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(30));
    }

    /** The wait before retry number {@code attempt} (1 for the first). */
    Duration retryDelay(int attempt) {
        Duration delay = firstRetryDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
