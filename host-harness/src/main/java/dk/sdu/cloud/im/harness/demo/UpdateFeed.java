package dk.sdu.cloud.im.harness.demo;

import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.spi.job.JobState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The job updates of one job as the IM records them: each is printed at once, and the demo waits here for
 * the state a step leads to.
 */
final class UpdateFeed implements Consumer<RecordedUpdate> {
    private final String jobId;
    private final DemoOutput output;
    private final List<RecordedUpdate> updates = new ArrayList<>();

    UpdateFeed(String jobId, DemoOutput output) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.output = requireNonNull(output, "output is null");
    }

    @Override
    public void accept(RecordedUpdate update) {
        if (!update.jobId().equals(jobId)) {
            return;
        }
        String state = update.state() == null ? "" : update.state().name();
        String message = update.statusMessage() == null ? "" : update.statusMessage().strip();
        output.line(("job " + jobId + ": " + String.format(Locale.ROOT, "%-9s", state) + " " + message).stripTrailing());
        synchronized (this) {
            updates.add(update);
            notifyAll();
        }
    }

    /** How many updates came so far: a step waits for what comes after this mark. */
    synchronized int mark() {
        return updates.size();
    }

    /** The updates so far. */
    synchronized List<RecordedUpdate> all() {
        return List.copyOf(updates);
    }

    /**
     * Waits for an update after {@code mark} that brings {@code state}.
     *
     * @throws DemoFailure when another final state comes instead, or {@code timeout} passes, naming {@code step}
     */
    synchronized void awaitState(int mark, JobState state, Duration timeout, String step) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = mark;
        while (true) {
            for (; seen < updates.size(); seen++) {
                RecordedUpdate update = updates.get(seen);
                if (update.state() == state) {
                    return;
                }
                if (update.state() != null && update.state().isFinal()) {
                    throw new DemoFailure("step '" + step + "': job " + jobId + " ended " + update.state()
                            + " instead of reaching " + state + (update.statusMessage() == null ? ""
                            : ": " + update.statusMessage()));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailure("step '" + step + "' timed out after " + timeout.toSeconds() + " s: job " + jobId
                        + " did not reach " + state + "; " + lastWords());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoFailure("step '" + step + "' was interrupted", e);
            }
        }
    }

    /**
     * Waits for an update after {@code mark} whose message contains {@code text}.
     *
     * @throws DemoFailure when the job ends first, or {@code timeout} passes, naming {@code step}
     */
    synchronized void awaitMessage(int mark, String text, Duration timeout, String step) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = mark;
        while (true) {
            for (; seen < updates.size(); seen++) {
                RecordedUpdate update = updates.get(seen);
                if (update.statusMessage() != null && update.statusMessage().contains(text)) {
                    return;
                }
                if (update.state() != null && update.state().isFinal()) {
                    throw new DemoFailure("step '" + step + "': job " + jobId + " ended " + update.state());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailure("step '" + step + "' timed out after " + timeout.toSeconds() + " s: job " + jobId
                        + " never said '" + text + "'; " + lastWords());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoFailure("step '" + step + "' was interrupted", e);
            }
        }
    }

    private String lastWords() {
        JobState state = null;
        String message = null;
        for (RecordedUpdate update : updates) {
            state = update.state() == null ? state : update.state();
            message = update.statusMessage() == null ? message : update.statusMessage();
        }
        return state == null ? "no state was reported" : "its last state is " + state
                + (message == null ? "" : " (" + message + ")");
    }
}
