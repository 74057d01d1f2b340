package dk.sdu.cloud.im.spi.job;

/** The states of a job, as Core knows them. */
public enum JobState {
    /** Accepted, not running yet (for a VM: its disk and objects are being prepared). */
    IN_QUEUE,
    /** Running. */
    RUNNING,
    /** Ended as the user wanted. */
    SUCCESS,
    /** Ended because something went wrong. */
    FAILURE,
    /** Ended because its time ran out. */
    EXPIRED,
    /** Stopped by the user; can be started again. */
    SUSPENDED;

    /** Whether a job in this state can never change state again. */
    public boolean isFinal() {
        return this == SUCCESS || this == FAILURE || this == EXPIRED;
    }
}
