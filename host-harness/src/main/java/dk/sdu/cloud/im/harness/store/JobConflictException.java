package dk.sdu.cloud.im.harness.store;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A job with an id that is already recorded for a different job. Nothing of the save was recorded.
 */
public class JobConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> jobIds;

    /**
     * @param jobIds the ids that are already recorded with different content
     */
    public JobConflictException(List<String> jobIds) {
        super("already recorded with different content: " + String.join(", ",
                requireNonNull(jobIds, "jobIds is null")));
        this.jobIds = List.copyOf(jobIds);
    }

    /** The ids in conflict. */
    public List<String> jobIds() {
        return jobIds;
    }
}
