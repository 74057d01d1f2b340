package dk.sdu.cloud.im.harness.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A job's progress through its script in the crash test. */
class JobDriverTest {
    private final JobDriver driver = new JobDriver(new ChaosPlan.JobScript("7",
            List.of(Operation.CREATE, Operation.SUSPEND, Operation.TERMINATE)));

    @Test
    void oneRequestAtATimeInScriptOrder() {
        assertThat(driver.due(0, 0)).contains(Operation.CREATE);
        driver.sent();
        assertThat(driver.due(0, 0)).isEmpty();
        driver.finished(new Step(Operation.CREATE, Outcome.ACCEPTED, 200), 100, Integer.MIN_VALUE);
        assertThat(driver.due(99, 0)).as("before its think time is over").isEmpty();
        assertThat(driver.due(100, 0)).contains(Operation.SUSPEND);
    }

    @Test
    void aRequestWithoutAnAnswerFromALiveImHoldsTheJobUntilThatImIsGone() {
        driver.sent();
        driver.finished(new Step(Operation.CREATE, Outcome.NO_ANSWER, 0), 0, 1);
        assertThat(driver.due(0, 0)).isEmpty();
        assertThat(driver.isHeld(0)).isTrue();
        assertThat(driver.isIdle(0)).isTrue();
        assertThat(driver.due(0, 1)).contains(Operation.SUSPEND);
        assertThat(driver.isIdle(1)).isFalse();
    }

    @Test
    void aDoneJobIsIdleAndCountsNothingUnsent() {
        for (Operation operation : List.of(Operation.CREATE, Operation.SUSPEND, Operation.TERMINATE)) {
            driver.sent();
            driver.finished(new Step(operation, Outcome.ACCEPTED, 200), 0, Integer.MIN_VALUE);
        }
        assertThat(driver.isDone()).isTrue();
        assertThat(driver.isIdle(0)).isTrue();
        assertThat(driver.unsent()).isZero();
        assertThat(driver.history()).hasSize(3);
    }
}
