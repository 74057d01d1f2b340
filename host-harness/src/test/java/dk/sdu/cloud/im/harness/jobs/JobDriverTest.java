package dk.sdu.cloud.im.harness.jobs;

import dk.sdu.cloud.im.harness.testing.ManualDelayTimer;
import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.api.RecordingBackend;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobSubmission;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The driver alone, over a real store, with a recording backend and a timer the test runs by hand. */
class JobDriverTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private H2JobStore store;
    private RecordingBackend backend;
    private ManualDelayTimer timer;
    private final List<JobDriver> drivers = new ArrayList<>();

    @BeforeEach
    void open() {
        store = H2JobStore.open(dir.resolve("jobs"), CLOCK);
        backend = new RecordingBackend();
        timer = new ManualDelayTimer();
    }

    @AfterEach
    void close() {
        List.of("start", "suspend", "unsuspend", "terminate").forEach(backend::release);
        IntStream.range(0, 10).forEach(i -> backend.release("start " + i));
        drivers.forEach(JobDriver::close);
        store.close();
    }

    private JobDriver driver(int workers) {
        JobDriver driver = new JobDriver(store, store, new ComputeBackends(List.of(backend)),
                new JobDriverSettings(workers, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)),
                timer, CLOCK);
        drivers.add(driver);
        return driver;
    }

    private void accept(String... ids) {
        for (String id : ids) {
            store.save(new JobSubmission(id, ExampleJobs.JSON.writeValueAsString(ExampleJobs.vmJob(id)),
                    JobState.IN_QUEUE));
        }
    }

    private void awaitCarriedOut(String id) {
        await().atMost(DEADLINE).until(() -> !store.intent(id).orElseThrow().pending());
    }

    @Test
    void aStartedDriverCarriesOnWithWhatAnEarlierImAcceptedAndAsksAgainForWhatDidNotEnd() {
        accept("1", "2", "3", "4");
        store.markCarriedOut("2", 1, true);                              // running: asked again
        store.recordRequests(List.of("3"), JobOperation.TERMINATE);     // terminated, not carried out yet
        store.recordRequests(List.of("4"), JobOperation.TERMINATE);
        store.markCarriedOut("4", 2, true);                              // terminated: left alone
        JobDriver driver = driver(1);

        driver.start();

        List.of("1", "2", "3").forEach(this::awaitCarriedOut);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(backend.calls("start")).containsExactly("1", "2"));
        assertThat(backend.calls("terminate")).containsExactly("3");
        assertThat(backend.calls()).as("job 3's start was overtaken by its terminate").doesNotContain("start 3")
                .doesNotContain("terminate 4");
    }

    @Test
    void atMostTheConfiguredNumberOfOperationsRunAtOnceAndTheRestWaitInOrder() {
        backend.hold("start");
        JobDriver driver = driver(2);
        driver.start();
        List<String> ids = List.of("1", "2", "3", "4", "5", "6");
        accept(ids.toArray(String[]::new));

        driver.requested(ids);

        // Both workers inside the held start (not merely one of them, with the other still on its way).
        await().atMost(DEADLINE).until(() -> backend.inFlight() == 2 && driver.waiting() == 4);
        assertThat(backend.calls("start")).isEmpty();
        backend.release("start");
        ids.forEach(this::awaitCarriedOut);
        assertThat(backend.mostInFlight()).isEqualTo(2);
    }

    @Test
    void oneWorkerTakesTheJobsFirstComeFirstServed() {
        JobDriver driver = driver(1);
        driver.start();
        accept("5", "3", "9", "1");

        driver.requested(List.of("5", "3"));
        driver.requested(List.of("9", "1", "3"));

        List.of("5", "3", "9", "1").forEach(this::awaitCarriedOut);
        assertThat(backend.calls("start")).containsExactly("5", "3", "9", "1");
    }

    @Test
    void aSlowJobHoldsUpOnlyItsOwnWorker() {
        backend.hold("start 1");
        JobDriver driver = driver(2);
        driver.start();
        accept("1", "2", "3", "4");

        driver.requested(List.of("1", "2", "3", "4"));

        await().atMost(DEADLINE).until(() -> backend.entered("start 1"));
        List.of("2", "3", "4").forEach(this::awaitCarriedOut);
        assertThat(store.intent("1").orElseThrow().pending()).isTrue();
        backend.release("start 1");
        awaitCarriedOut("1");
    }

    @Test
    void aRequestThatComesWhileTheJobIsUnderWayIsCarriedOutAfterwards() {
        backend.hold("start");
        JobDriver driver = driver(2);
        driver.start();
        accept("1");
        driver.requested(List.of("1"));
        await().atMost(DEADLINE).until(() -> backend.entered("start"));

        store.recordRequests(List.of("1"), JobOperation.SUSPEND);
        driver.requested(List.of("1"));
        backend.release("start");

        awaitCarriedOut("1");
        assertThat(backend.calls()).containsSubsequence("start 1", "suspend 1");
        assertThat(backend.mostInFlight()).as("never two operations of one job at once").isEqualTo(1);
    }

    @Test
    void aFailedOperationIsToldOnTheJobAndTriedAgainLaterWaitingLongerEachTime() {
        backend.failIn("start");
        JobDriver driver = driver(1);
        driver.start();
        accept("1");

        driver.requested(List.of("1"));
        await().atMost(DEADLINE).until(() -> timer.delays().size() == 1);
        assertThat(store.find("1").orElseThrow().statusMessage())
                .startsWith("an extension not from a plugin (Recording) failed to start job 1: IllegalStateException; "
                        + "error reference ")
                .endsWith("; the IM keeps trying")
                .doesNotContain(RecordingBackend.INTERNAL_DETAIL);
        assertThat(store.find("1").orElseThrow().state()).isEqualTo(JobState.IN_QUEUE);
        timer.fire();
        await().atMost(DEADLINE).until(() -> timer.delays().size() == 2);
        timer.fire();
        await().atMost(DEADLINE).until(() -> timer.delays().size() == 3);
        timer.fire();
        await().atMost(DEADLINE).until(() -> timer.delays().size() == 4);
        assertThat(timer.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(5));
        assertThat(store.updates("1")).as("the same reason is told once").hasSize(1);
        assertThat(store.intent("1").orElseThrow().pending()).isTrue();

        backend.stopFailing("start");
        timer.fire();

        awaitCarriedOut("1");
        assertThat(backend.calls("start")).containsExactly("1");
    }

    @Test
    void aRetryOvertakenByALaterRequestIsNotCarriedOut() {
        backend.failIn("start");
        JobDriver driver = driver(1);
        driver.start();
        accept("1", "2");
        driver.requested(List.of("1"));
        await().atMost(DEADLINE).until(() -> timer.delays().size() == 1);

        store.recordRequests(List.of("1"), JobOperation.TERMINATE);
        driver.requested(List.of("1"));
        awaitCarriedOut("1");
        backend.stopFailing("start");
        timer.fire();
        driver.requested(List.of("2"));   // one worker, first come first served: job 1 (if offered) goes first

        awaitCarriedOut("2");
        assertThat(backend.calls("terminate")).containsExactly("1");
        assertThat(backend.calls("start")).containsExactly("2");
    }

    @Test
    void aJobTheBackendRejectsBecomesFailure() {
        backend.rejectInStart("1", "no such image");
        JobDriver driver = driver(1);
        driver.start();
        accept("1");

        driver.requested(List.of("1"));

        awaitCarriedOut("1");
        assertThat(store.find("1").orElseThrow().state()).isEqualTo(JobState.FAILURE);
        assertThat(store.updates("1")).extracting(u -> u.update())
                .containsExactly(JobUpdate.state(JobState.FAILURE, "no such image", CLOCK.millis()));
        assertThat(timer.delays()).isEmpty();
    }

    @Test
    void aSuspendOfAJobThatNeverStartedStartsItFirst() {
        JobDriver driver = driver(1);
        accept("1", "2");
        store.recordRequests(List.of("1"), JobOperation.SUSPEND);
        store.recordRequests(List.of("2"), JobOperation.SUSPEND);
        store.recordRequests(List.of("2"), JobOperation.UNSUSPEND);

        driver.start();

        awaitCarriedOut("1");
        awaitCarriedOut("2");
        assertThat(backend.calls()).containsSubsequence("start 1", "suspend 1");
        assertThat(backend.calls("start")).containsExactly("1", "2");
        assertThat(backend.calls("unsuspend")).isEmpty();
        assertThat(store.intent("2").orElseThrow().started()).isTrue();
    }

    @Test
    void closeWaitsForTheOperationsUnderWayAndLeavesTheRestPending() throws Exception {
        backend.hold("start");
        JobDriver driver = driver(1);
        driver.start();
        accept("1", "2");
        driver.requested(List.of("1", "2"));
        await().atMost(DEADLINE).until(() -> backend.entered("start"));

        Thread closing = new Thread(driver::close);
        closing.start();
        // Waiting with a time limit is what close does once it has stopped taking work.
        await().atMost(DEADLINE).until(() -> closing.getState() == Thread.State.TIMED_WAITING);
        backend.release("start");
        closing.join(DEADLINE.toMillis());

        assertThat(closing.isAlive()).isFalse();
        assertThat(store.intent("1").orElseThrow().pending()).isFalse();
        assertThat(store.intent("2").orElseThrow().pending()).as("left for the next start").isTrue();
        assertThat(backend.calls("start")).containsExactly("1");
    }
}
