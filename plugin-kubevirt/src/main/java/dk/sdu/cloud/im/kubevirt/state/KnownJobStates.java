package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.spi.host.JobUpdates;

import java.util.Optional;
import java.util.Set;

/**
 * What Core last recorded about jobs, so that a tracker started after an IM restart sends only what differs.
 * The backend plugs in Core's view (for instance the {@code status.state} and latest update of the jobs it
 * receives); {@link #NONE} knows nothing, and the tracker then sends every job's current state once.
 */
public interface KnownJobStates {

    /** Knows nothing. */
    KnownJobStates NONE = jobId -> Optional.empty();

    /** What the host says Core has recorded ({@link JobUpdates#lastRecorded}). */
    static KnownJobStates recordedBy(JobUpdates updates) {
        java.util.Objects.requireNonNull(updates, "updates is null");
        return jobId -> updates.lastRecorded(jobId)
                .map(update -> new ObservedState(update.state(), update.status()))
                .filter(state -> !state.isNone());
    }

    /** The state and message Core last recorded for a job (either may be null), if it knows the job. */
    Optional<ObservedState> lastKnown(String jobId);

    /**
     * The jobs Core considers active (not ended). Those whose last known state is RUNNING or SUSPENDED are
     * expected to have a VM: when there is none, the missing-VM grace period starts.
     */
    default Set<String> activeJobs() {
        return Set.of();
    }
}
