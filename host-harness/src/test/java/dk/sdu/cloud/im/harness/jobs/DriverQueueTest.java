package dk.sdu.cloud.im.harness.jobs;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** First come first served, each job once, and a job offered while taken comes back at the end of the line. */
class DriverQueueTest {
    private final DriverQueue queue = new DriverQueue();

    private DriverQueue.Entry take() throws InterruptedException {
        return queue.take().orElseThrow();
    }

    @Test
    void aJobOfferedAgainWhileItWaitsKeepsItsPlace() throws InterruptedException {
        queue.offer("a", false);
        queue.offer("b", false);
        queue.offer("a", true);

        assertThat(take()).isEqualTo(new DriverQueue.Entry("a", true));
        assertThat(take()).isEqualTo(new DriverQueue.Entry("b", false));
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void aJobOfferedWhileTakenWaitsAgainAtTheEndOnceDone() throws InterruptedException {
        queue.offer("a", false);
        DriverQueue.Entry a = take();
        queue.offer("a", false);
        queue.offer("b", false);

        assertThat(queue.waiting()).as("not twice at once").isEqualTo(1);
        queue.done(a.jobId());

        assertThat(take().jobId()).isEqualTo("b");
        assertThat(take().jobId()).isEqualTo("a");
    }

    @Test
    void aClosedQueueHandsOutNothing() throws InterruptedException {
        queue.offer("a", false);
        queue.close();
        queue.offer("b", false);

        Optional<DriverQueue.Entry> next = queue.take();

        assertThat(next).isEmpty();
    }
}
