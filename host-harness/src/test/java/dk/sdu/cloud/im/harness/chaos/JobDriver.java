package dk.sdu.cloud.im.harness.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One job's progress through its script: which operation comes next, whether one is in flight, when the next
 * may be sent, and what happened to each request. A job sends one request at a time, as Core does for a job.
 */
final class JobDriver {
    private final ChaosPlan.JobScript script;
    private final List<Step> history = new ArrayList<>();
    private int next;
    private boolean inFlight;
    private long readyAtNanos;
    private String abandonedBecause;

    JobDriver(ChaosPlan.JobScript script) {
        this.script = requireNonNull(script, "script is null");
    }

    String jobId() {
        return script.jobId();
    }

    /** The operation to send now, or empty when one is in flight, it is not time yet, or the script is done. */
    synchronized Optional<Operation> due(long nowNanos) {
        if (inFlight || isDone() || nowNanos - readyAtNanos < 0) {
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
     * @param abandon when not null, the script stops here, for this reason (an answer that may still come)
     */
    synchronized void finished(Step step, long readyAtNanos, String abandon) {
        history.add(step);
        inFlight = false;
        next++;
        this.readyAtNanos = readyAtNanos;
        if (abandon != null && !isDone()) {
            abandonedBecause = abandon;
        }
    }

    synchronized boolean isDone() {
        return abandonedBecause != null || next >= script.operations().size();
    }

    synchronized int skipped() {
        return abandonedBecause == null ? 0 : script.operations().size() - next;
    }

    synchronized List<Step> history() {
        return List.copyOf(history);
    }
}
