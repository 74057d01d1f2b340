package dk.sdu.cloud.im.kubevirt.state;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The grace period of jobs whose VM is missing: since when each has been missing, and which are due (missing
 * for at least the grace period). Not thread-safe: the tracker calls it under its lock.
 */
final class MissingVms {

    private final Duration grace;
    private final Map<String, Instant> since = new HashMap<>();

    MissingVms(Duration grace) {
        this.grace = requireNonNull(grace, "grace is null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("missingVmGrace must not be negative: " + grace);
        }
    }

    Duration grace() {
        return grace;
    }

    /** Starts a job's grace period unless it runs already; returns whether it started now. */
    boolean start(String jobId, Instant now) {
        return since.putIfAbsent(jobId, now) == null;
    }

    /** The job's VM is there (again), or the job has ended. */
    void stop(String jobId) {
        since.remove(jobId);
    }

    /** Takes a due job out of the grace period; returns whether it was in it. */
    boolean end(String jobId) {
        return since.remove(jobId) != null;
    }

    Optional<Instant> since(String jobId) {
        return Optional.ofNullable(since.get(jobId));
    }

    /**
     * The jobs missing for at least the grace period, with since when; jobs for which {@code over} holds (the
     * VM came back, the job ended) leave the grace period first.
     */
    Map<String, Instant> due(Instant now, Predicate<String> over) {
        since.keySet().removeIf(over);
        Map<String, Instant> due = new HashMap<>();
        since.forEach((job, start) -> {
            if (Duration.between(start, now).compareTo(grace) >= 0) {
                due.put(job, start);
            }
        });
        return due;
    }
}
