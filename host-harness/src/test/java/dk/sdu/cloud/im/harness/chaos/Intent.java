package dk.sdu.cloud.im.harness.chaos;

/** Where a job's requests leave it, as Core would see it. */
enum Intent {
    /** Never created: the IM must not know the job, nor the cluster have objects of it. */
    ABSENT,
    /** Created (or unsuspended): RUNNING in the IM, its VM meant to run. */
    RUNNING,
    /** Suspended: SUSPENDED in the IM, its VM halted. */
    SUSPENDED,
    /** Terminated: a final state in the IM, no VM and no objects left. */
    TERMINATED;

    /**
     * The intent after {@code operation} took effect. An operation on a job the IM does not know does nothing
     * (404), an operation on a terminated job does nothing (the IM refuses it), and a job is created once.
     */
    Intent after(Operation operation) {
        if (this == ABSENT) {
            return operation == Operation.CREATE ? RUNNING : ABSENT;
        }
        if (this == TERMINATED) {
            return TERMINATED;
        }
        return switch (operation) {
            case CREATE -> this;
            case SUSPEND -> SUSPENDED;
            case UNSUSPEND -> RUNNING;
            case TERMINATE -> TERMINATED;
        };
    }
}
