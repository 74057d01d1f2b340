package dk.sdu.cloud.im.harness.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dk.sdu.cloud.im.harness.chaos.Intent.ABSENT;
import static dk.sdu.cloud.im.harness.chaos.Intent.RUNNING;
import static dk.sdu.cloud.im.harness.chaos.Intent.SUSPENDED;
import static dk.sdu.cloud.im.harness.chaos.Intent.TERMINATED;
import static dk.sdu.cloud.im.harness.chaos.Operation.CREATE;
import static dk.sdu.cloud.im.harness.chaos.Operation.SUSPEND;
import static dk.sdu.cloud.im.harness.chaos.Operation.TERMINATE;
import static dk.sdu.cloud.im.harness.chaos.Operation.UNSUSPEND;
import static org.assertj.core.api.Assertions.assertThat;

/** The crash test's rule for which end states a job's requests allow. */
class ExpectedStatesTest {
    @Test
    void acceptedRequestsDecideAlone() {
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE)))).containsExactly(RUNNING);
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), ok(SUSPEND)))).containsExactly(SUSPENDED);
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), ok(SUSPEND), ok(UNSUSPEND)))).containsExactly(RUNNING);
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), ok(TERMINATE)))).containsExactly(TERMINATED);
    }

    @Test
    void anUncertainRequestMayOrMayNotHaveTakenEffect() {
        assertThat(ExpectedStates.admissible(List.of(noAnswer(CREATE)))).containsExactlyInAnyOrder(ABSENT, RUNNING);
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), ok(SUSPEND), error(TERMINATE))))
                .containsExactlyInAnyOrder(SUSPENDED, TERMINATED);
        assertThat(ExpectedStates.admissible(List.of(noAnswer(CREATE), noAnswer(SUSPEND))))
                .containsExactlyInAnyOrder(ABSENT, RUNNING, SUSPENDED);
    }

    @Test
    void aLaterAcceptedRequestOverridesAnUncertainOne() {
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), error(SUSPEND), ok(UNSUSPEND)))).containsExactly(RUNNING);
    }

    @Test
    void nothingChangesATerminatedJob() {
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), ok(TERMINATE), ok(UNSUSPEND), error(SUSPEND))))
                .containsExactly(TERMINATED);
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), noAnswer(TERMINATE), ok(UNSUSPEND))))
                .containsExactlyInAnyOrder(RUNNING, TERMINATED);
    }

    @Test
    void anAcceptedOperationSaysTheJobWasCreated() {
        assertThat(ExpectedStates.admissible(List.of(noAnswer(CREATE), ok(SUSPEND)))).containsExactly(SUSPENDED);
        assertThat(ExpectedStates.mustBeKnown(List.of(noAnswer(CREATE), ok(SUSPEND)))).isTrue();
        assertThat(ExpectedStates.mustBeKnown(List.of(noAnswer(CREATE), error(SUSPEND)))).isFalse();
    }

    @Test
    void aRequestThatWasNotDeliveredTakesNoEffect() {
        assertThat(ExpectedStates.admissible(List.of(ok(CREATE), notDelivered(TERMINATE)))).containsExactly(RUNNING);
        assertThat(ExpectedStates.admissible(List.of(notDelivered(CREATE), ok(SUSPEND)))).containsExactly(ABSENT);
    }

    private static Step ok(Operation operation) {
        return new Step(operation, Outcome.ACCEPTED, 200);
    }

    private static Step error(Operation operation) {
        return new Step(operation, Outcome.ERROR, 500);
    }

    private static Step noAnswer(Operation operation) {
        return new Step(operation, Outcome.NO_ANSWER, 0);
    }

    private static Step notDelivered(Operation operation) {
        return new Step(operation, Outcome.NOT_DELIVERED, 0);
    }
}
