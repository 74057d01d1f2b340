package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.util.List;

/**
 * Write number n of a writer that is killed with SIGKILL ({@link StoreKillWriter}): jobs are saved, get an
 * update, and are asked to suspend, in turns. Each write can be looked for in a reopened store.
 *
 * @param kind   what the write does
 * @param jobId  the job it writes
 * @param status the message of an update
 */
record NumberedWrite(Kind kind, String jobId, String status) {
    /** Jobs and messages as large as real ones, so H2 keeps them as large objects outside the row. */
    private static final String PADDING = "x".repeat(4_000);

    enum Kind { SAVE, APPEND, REQUEST }

    static NumberedWrite of(int n) {
        int job = (n - 1) / 3;
        Kind kind = Kind.values()[(n - 1) % 3];
        return new NumberedWrite(kind, "job-" + job,
                "update of job " + job + " " + PADDING.substring(0, 50 * (job % 20)));
    }

    void applyTo(JobStore store) {
        switch (kind) {
            case SAVE -> store.save(new JobSubmission(jobId,
                    "{\"id\":\"" + jobId + "\",\"padding\":\"" + PADDING + "\"}", JobState.IN_QUEUE));
            case APPEND -> store.append(jobId, JobUpdate.state(JobState.RUNNING, status, 1L));
            case REQUEST -> store.recordRequests(List.of(jobId), JobOperation.SUSPEND);
        }
    }

    boolean isIn(JobStore store) {
        return switch (kind) {
            case SAVE -> store.find(jobId).isPresent();
            case APPEND -> store.updates(jobId).stream().anyMatch(u -> status.equals(u.statusMessage()));
            case REQUEST -> store.intent(jobId).map(JobIntent::operation).orElse(null) == JobOperation.SUSPEND;
        };
    }

    /** What a report calls this write, e.g. {@code append 5}. */
    String describe(int n) {
        return kind.name().toLowerCase() + " " + n;
    }
}
