package dk.sdu.cloud.im.harness.store;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** A request for jobs that have ended (terminated, or in a final state). Nothing of the request was recorded. */
public class JobRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Refusal> refusals;

    /**
     * @param refusals each refused job with the reason
     */
    public JobRefusedException(List<Refusal> refusals) {
        super("refused: " + requireNonNull(refusals, "refusals is null").stream().map(Refusal::why).toList());
        this.refusals = List.copyOf(refusals);
    }

    /** The refused jobs, in the order of the request. */
    public List<Refusal> refusals() {
        return refusals;
    }

    /**
     * A refused job.
     *
     * @param jobId the job
     * @param why   the reason, naming the job, e.g. {@code job 42 was terminated}
     */
    public record Refusal(String jobId, String why) {
        public Refusal {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(why, "why is null");
        }
    }
}
