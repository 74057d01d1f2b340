package dk.sdu.cloud.im.harness.store;

import static java.util.Objects.requireNonNull;

/**
 * The last request the IM accepted for a job, and whether its backend has carried it out.
 *
 * @param jobId              Core's id of the job
 * @param operation          what was asked last
 * @param revision           counts the accepted requests of the job: 1 for its create, one more for each later
 *                           request that asked for something (a repeated terminate asks for nothing)
 * @param carriedOutRevision the revision the backend last carried out; 0 when none yet
 * @param started            whether the backend has started the job at least once (a suspend or unsuspend of a
 *                           job that never started needs a start first)
 */
public record JobIntent(String jobId, JobOperation operation, long revision, long carriedOutRevision,
                        boolean started) {
    public JobIntent {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(operation, "operation is null");
    }

    /** Whether the backend has yet to carry out the last request. */
    public boolean pending() {
        return carriedOutRevision < revision;
    }
}
