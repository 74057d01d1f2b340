package dk.sdu.cloud.im.harness.chaos;

import static java.util.Objects.requireNonNull;

/**
 * One request of a job and how it ended.
 *
 * @param operation what was asked
 * @param outcome   how it ended
 * @param status    the HTTP status, or 0 when there was no answer
 */
record Step(Operation operation, Outcome outcome, int status) {
    Step {
        requireNonNull(operation, "operation is null");
        requireNonNull(outcome, "outcome is null");
    }

    @Override
    public String toString() {
        return operation.word() + " " + switch (outcome) {
            case ACCEPTED -> "ok";
            case ERROR -> "error " + status;
            case NO_ANSWER -> "no-answer";
            case NOT_DELIVERED -> "not-delivered";
        };
    }
}
