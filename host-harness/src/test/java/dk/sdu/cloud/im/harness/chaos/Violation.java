package dk.sdu.cloud.im.harness.chaos;

import static java.util.Objects.requireNonNull;

/**
 * Something the end state must not show.
 *
 * @param kind  which rule it breaks
 * @param jobId the job it is about, or null
 * @param text  what was found, for people
 */
record Violation(Kind kind, String jobId, String text) {
    /** The rules of the end state. */
    enum Kind {
        /** The IM did not start again after a kill (or at the final restart). */
        RESTART,
        /** A job the IM accepted a request for is not in its store. */
        LOST,
        /** A job's state is not one its requests allow. */
        STATE,
        /** A terminated job still has a VirtualMachine. */
        TERMINATED_WITH_VM,
        /** An object of a terminated job, of a job the IM does not know, or of no job at all. */
        ORPHAN,
        /** The cluster contradicts the IM's state of a live job (RUNNING with a halted or missing VM, ...). */
        CLUSTER
    }

    Violation {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
    }

    @Override
    public String toString() {
        return kind + " " + (jobId == null ? "" : "job " + jobId + ": ") + text;
    }
}
