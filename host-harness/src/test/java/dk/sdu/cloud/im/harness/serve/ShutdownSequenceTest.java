package dk.sdu.cloud.im.harness.serve;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownSequenceTest {

    @Test
    void stepsRunInOrder() {
        List<String> ran = new CopyOnWriteArrayList<>();
        ShutdownSequence sequence = new ShutdownSequence()
                .step("api", Duration.ofSeconds(5), () -> ran.add("api"))
                .step("backends", Duration.ofSeconds(5), () -> ran.add("backends"))
                .step("store", Duration.ofSeconds(5), () -> ran.add("store"));

        assertThat(sequence.names()).containsExactly("api", "backends", "store");
        assertThat(sequence.run()).isEmpty();
        assertThat(ran).containsExactly("api", "backends", "store");
    }

    @Test
    void aFailingStepIsReportedAndTheNextOnesStillRun() {
        List<String> ran = new CopyOnWriteArrayList<>();
        List<String> troubled = new ShutdownSequence()
                .step("api", Duration.ofSeconds(5), () -> {
                    throw new IllegalStateException("jetty says no");
                })
                .step("store", Duration.ofSeconds(5), () -> ran.add("store"))
                .run();

        assertThat(troubled).containsExactly("api");
        assertThat(ran).containsExactly("store");
    }

    @Test
    void aStuckStepIsLeftBehindAfterItsBound() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<String> troubled = new ShutdownSequence()
                .step("backends", Duration.ofMillis(100), () -> {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .step("store", Duration.ofSeconds(5), () -> ran.add("store"))
                .run();

        assertThat(troubled).containsExactly("backends");
        assertThat(ran).containsExactly("store");
        release.countDown();
    }
}
