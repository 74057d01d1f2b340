package dk.sdu.cloud.im.harness.store;

/**
 * Names one recorded update: its job and its place among the job's updates ({@link RecordedUpdate#sequence}).
 * The names in the JSON are the journal's format ({@link StoreWrite}): rename nothing.
 *
 * @param jobId    the job
 * @param sequence the update's sequence number, 1 for the job's first
 */
public record UpdateId(String jobId, long sequence) {
    public UpdateId {
        JobIds.check(jobId);
        if (sequence < 1) {
            throw new IllegalArgumentException("an update's sequence number is 1 or more, not " + sequence);
        }
    }

    @Override
    public String toString() {
        return jobId + "#" + sequence;
    }
}
