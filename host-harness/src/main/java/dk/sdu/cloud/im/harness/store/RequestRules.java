package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which request a job takes, given what was asked of it last and the state it is in. A terminated job stays
 * terminated: only a terminate (which then changes nothing) is taken; nor does a job in a final state run
 * again.
 */
final class RequestRules {
    private RequestRules() {
    }

    /**
     * What a request does to a job.
     *
     * @param operation the job's request afterwards, or empty when nothing changes (a repeated terminate)
     * @param refusal   why the request is refused, or null
     */
    record Outcome(Optional<JobOperation> operation, String refusal) {
        static Outcome becomes(JobOperation operation) {
            return new Outcome(Optional.of(operation), null);
        }

        static Outcome unchanged() {
            return new Outcome(Optional.empty(), null);
        }

        static Outcome refused(String why) {
            return new Outcome(Optional.empty(), requireNonNull(why, "why is null"));
        }

        boolean refused() {
            return refusal != null;
        }
    }

    /**
     * @param jobId     the job, for the refusal's text
     * @param current   what was asked of the job last
     * @param state     the job's current state
     * @param requested what is asked now ({@link JobOperation#START} for a repeated create)
     */
    static Outcome apply(String jobId, JobOperation current, JobState state, JobOperation requested) {
        requireNonNull(current, "current is null");
        requireNonNull(state, "state is null");
        requireNonNull(requested, "requested is null");
        if (requested == JobOperation.TERMINATE) {
            // Terminating an ended job still releases what it may hold; terminating it twice asks nothing new.
            return current == JobOperation.TERMINATE ? Outcome.unchanged() : Outcome.becomes(JobOperation.TERMINATE);
        }
        if (current == JobOperation.TERMINATE) {
            return Outcome.refused("job " + jobId + " was terminated");
        }
        if (state.isFinal()) {
            return Outcome.refused("job " + jobId + " has ended (" + state + ")");
        }
        return switch (requested) {
            // A create again carries on with whatever was asked last (e.g. a suspended job stays suspended).
            case START -> Outcome.becomes(current);
            case SUSPEND -> Outcome.becomes(JobOperation.SUSPEND);
            // A job that was never suspended is running, or starting: its start is what to carry on with.
            case UNSUSPEND -> Outcome.becomes(current == JobOperation.START ? JobOperation.START : JobOperation.UNSUSPEND);
            case TERMINATE -> throw new IllegalStateException("handled above");
        };
    }
}
