package dk.sdu.cloud.im.kubevirt.state;

import dk.sdu.cloud.im.spi.job.JobState;

/**
 * What the cluster says about a job: a state and a message for the user, either of which may be absent.
 *
 * @param state   the job's state, or null when the observation does not decide it (a message only)
 * @param message a message for the user, or null
 */
public record ObservedState(JobState state, String message) {

    /** Nothing to say. */
    public static final ObservedState NONE = new ObservedState(null, null);

    /** A state, with an optional message. */
    public static ObservedState of(JobState state, String message) {
        return new ObservedState(java.util.Objects.requireNonNull(state, "state is null"), message);
    }

    /** A message that leaves the state as it is. */
    public static ObservedState message(String message) {
        return new ObservedState(null, java.util.Objects.requireNonNull(message, "message is null"));
    }

    public boolean isNone() {
        return state == null && message == null;
    }
}
