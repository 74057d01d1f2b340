package dk.sdu.cloud.im.harness.chaos;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The intents a job may rightly end in, given its requests in the order they were sent (each was sent after
 * the previous one's answer, or after its failure).
 *
 * <p>The rule: the end state must be that of applying, in order, every accepted request and any subset of the
 * uncertain ones ({@link Outcome#uncertain()}); requests that were not delivered are left out. An accepted
 * request other than a create also says that the job was known to the IM at that point, so an end in which
 * its create never took effect is ruled out.
 */
final class ExpectedStates {
    private ExpectedStates() {
    }

    static Set<Intent> admissible(List<Step> history) {
        Set<Intent> possible = EnumSet.of(Intent.ABSENT);
        for (Step step : history) {
            Set<Intent> next = EnumSet.noneOf(Intent.class);
            switch (step.outcome()) {
                case ACCEPTED -> {
                    for (Intent intent : possible) {
                        if (intent == Intent.ABSENT && step.operation() != Operation.CREATE && possible.size() > 1) {
                            continue; // the IM knew the job: its create took effect
                        }
                        next.add(intent.after(step.operation()));
                    }
                }
                case ERROR, NO_ANSWER -> {
                    next.addAll(possible);
                    possible.forEach(intent -> next.add(intent.after(step.operation())));
                }
                case NOT_DELIVERED -> next.addAll(possible);
            }
            possible = next;
        }
        return possible;
    }

    /** Whether some request of the job was accepted: then the IM must know it. */
    static boolean mustBeKnown(List<Step> history) {
        return history.stream().anyMatch(step -> step.outcome() == Outcome.ACCEPTED);
    }
}
