package dk.sdu.cloud.im.harness.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One job's progress through its script: which operation comes next, whether one is in flight, when the next
 * may be sent, and what happened to each request. A job sends one request at a time, as Core does for a job.
 *
 * <p>A job whose request got no answer while the IM process that received it lives on (the time ran out) is
 * held until that process is gone (the next kill or restart): the request may still take effect, and a later
 * request of the job must not overtake it.
 */
final class JobDriver {
    private final ChaosPlan.JobScript script;
    private final List<Step> history = new ArrayList<>();
    private int next;
    private boolean inFlight;
    private long readyAtNanos;
    private int heldUntilGeneration = Integer.MIN_VALUE;

    JobDriver(ChaosPlan.JobScript script) {
        this.script = requireNonNull(script, "script is null");
    }

    String jobId() {
        return script.jobId();
    }

    /**
     * The operation to send now, or empty when one is in flight, it is not time yet, the job is held, or the
     * script is done.
     *
     * @param generation the IM process that would receive it ({@link ImLink#generation()})
     */
    synchronized Optional<Operation> due(long nowNanos, int generation) {
        if (inFlight || isDone() || isHeld(generation) || nowNanos - readyAtNanos < 0) {
            return Optional.empty();
        }
        return Optional.of(script.operations().get(next));
    }

    synchronized void sent() {
        inFlight = true;
    }

    /**
     * Records how the operation in flight ended; the next may be sent at {@code readyAtNanos}.
     *
     * @param holdUntilGeneration the first IM generation the next operation may go to
     */
    synchronized void finished(Step step, long readyAtNanos, int holdUntilGeneration) {
        history.add(step);
        inFlight = false;
        next++;
        this.readyAtNanos = readyAtNanos;
        this.heldUntilGeneration = holdUntilGeneration;
    }

    synchronized boolean isDone() {
        return next >= script.operations().size();
    }

    /** Whether the job waits for the IM process of {@code generation} to be gone. */
    synchronized boolean isHeld(int generation) {
        return !isDone() && !inFlight && generation < heldUntilGeneration;
    }

    /** Whether the job can do nothing more in this IM generation: done, or held. */
    synchronized boolean isIdle(int generation) {
        return isDone() || isHeld(generation);
    }

    /** Operations of the script not sent. */
    synchronized int unsent() {
        return script.operations().size() - next;
    }

    synchronized List<Step> history() {
        return List.copyOf(history);
    }
}
