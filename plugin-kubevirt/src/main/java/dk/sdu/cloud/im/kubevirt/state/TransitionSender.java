package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Decides which of jobs' states and messages go to Core, transitions only: per job it keeps the last state and
 * message sent, starting from what {@link KnownJobStates} says Core has, and hands on an observation only when
 * its state or message differs. A job that reached a final state hears nothing more. Not thread-safe: the
 * tracker calls it under its lock, and gives it an {@code updates} that only queues (sending is I/O, done once
 * the lock is released: {@link UpdateOutbox}).
 */
final class TransitionSender {

    private final JobUpdates updates;
    private final Clock clock;
    private final KnownJobStates known;
    private final Function<String, Optional<String>> runningMessage;
    private final Map<String, ObservedState> sent = new HashMap<>();
    private final Set<String> finished = new HashSet<>();

    /**
     * @param runningMessage the message that goes with a job's RUNNING state, if any (how to reach it over SSH);
     *                       sent with the transition to RUNNING, before a message of the observation
     */
    TransitionSender(JobUpdates updates, Clock clock, KnownJobStates known,
                     Function<String, Optional<String>> runningMessage) {
        this.updates = requireNonNull(updates, "updates is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.known = requireNonNull(known, "known is null");
        this.runningMessage = requireNonNull(runningMessage, "runningMessage is null");
    }

    /** Sends what differs from what was sent last; returns whether the job has now ended. */
    boolean send(String jobId, ObservedState observed) {
        if (observed.isNone() || finished.contains(jobId)) {
            return finished.contains(jobId);
        }
        ObservedState last = lastKnown(jobId);
        long now = clock.millis();
        if (observed.state() == JobState.RUNNING && last.state() != JobState.RUNNING) {
            Optional<String> announcement = runningMessage.apply(jobId);
            if (announcement.isPresent() || observed.message() == null) {
                String message = announcement.orElse(null);
                updates.send(jobId, JobUpdate.state(JobState.RUNNING, message, now));
                last = new ObservedState(JobState.RUNNING, message);
                sent.put(jobId, last);
            }
        }
        if (observed.state() != null && observed.state() != last.state()) {
            updates.send(jobId, JobUpdate.state(observed.state(), observed.message(), now));
            sent.put(jobId, observed);
        } else if (observed.message() != null && !observed.message().equals(last.message())) {
            updates.send(jobId, JobUpdate.message(observed.message(), now));
            sent.put(jobId, new ObservedState(last.state(), observed.message()));
        }
        JobState state = lastKnown(jobId).state();
        if (state != null && state.isFinal()) {
            finished.add(jobId);
        }
        return finished.contains(jobId);
    }

    boolean isFinished(String jobId) {
        return finished.contains(jobId);
    }

    /** The state and message last sent, else what Core knows, else nothing. */
    ObservedState lastKnown(String jobId) {
        return sent.computeIfAbsent(jobId, job -> known.lastKnown(job).orElse(ObservedState.NONE));
    }

    /** The state and message last sent (or known from Core), if any. */
    Optional<ObservedState> lastSent(String jobId) {
        return Optional.ofNullable(sent.get(jobId));
    }
}
