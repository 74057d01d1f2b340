package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2JobStoreTest {
    private static final String JOB_A = "{\"id\":\"a\",\"specification\":{\"replicas\":1,\"name\":\"first\"}}";
    private static final String JOB_A_REORDERED = "{\"specification\":{\"name\":\"first\",\"replicas\":1},  \"id\":\"a\"}";
    private static final String JOB_A_CHANGED = "{\"id\":\"a\",\"specification\":{\"replicas\":1,\"name\":\"second\"}}";
    private static final String JOB_B = "{\"id\":\"b\"}";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private H2JobStore store;

    @BeforeEach
    void open() {
        store = H2JobStore.open(dir.resolve("state/jobs"), CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static JobSubmission job(String id, String json) {
        return new JobSubmission(id, json, JobState.IN_QUEUE);
    }

    @Test
    void aSavedJobCanBeFoundAndListed() {
        assertThat(store.save(job("a", JOB_A))).isEqualTo(SaveOutcome.CREATED);
        assertThat(store.save(job("b", JOB_B))).isEqualTo(SaveOutcome.CREATED);

        StoredJob a = store.find("a").orElseThrow();
        assertThat(a.json()).isEqualTo(JOB_A);
        assertThat(a.state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(a.statusMessage()).isNull();
        assertThat(a.createdAt()).isEqualTo(1_000);
        assertThat(a.updatedAt()).isEqualTo(1_000);
        assertThat(store.find("nope")).isEmpty();
        assertThat(store.list()).extracting(JobSummary::id).containsExactly("a", "b");
        assertThat(dir.resolve("state/jobs.mv.db")).as("the database is a file on disk").isRegularFile();
    }

    @Test
    void savingTheSameJobAgainChangesNothingEvenWithAnotherLayout() {
        store.save(job("a", JOB_A));

        assertThat(store.save(job("a", JOB_A))).isEqualTo(SaveOutcome.UNCHANGED);
        assertThat(store.save(job("a", JOB_A_REORDERED))).isEqualTo(SaveOutcome.UNCHANGED);
        assertThat(store.find("a").orElseThrow().json()).isEqualTo(JOB_A);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void aDifferentJobWithTheSameIdIsAConflict() {
        store.save(job("a", JOB_A));

        assertThatThrownBy(() -> store.save(job("a", JOB_A_CHANGED)))
                .isInstanceOfSatisfying(JobConflictException.class, e -> assertThat(e.jobIds()).containsExactly("a"));
        assertThat(store.find("a").orElseThrow().json()).isEqualTo(JOB_A);
    }

    @Test
    void aConflictInABatchSavesNothingOfIt() {
        store.save(job("a", JOB_A));

        assertThatThrownBy(() -> store.saveAll(List.of(job("b", JOB_B), job("a", JOB_A_CHANGED))))
                .isInstanceOf(JobConflictException.class);
        assertThat(store.find("b")).isEmpty();
    }

    @Test
    void aBatchWithTheSameIdTwiceIsFineWhenEqualAndAConflictWhenNot() {
        assertThat(store.saveAll(List.of(job("a", JOB_A), job("a", JOB_A_REORDERED))))
                .containsExactly(SaveOutcome.CREATED, SaveOutcome.UNCHANGED);
        assertThatThrownBy(() -> store.saveAll(List.of(job("b", JOB_B), job("b", "{\"id\":\"b\",\"x\":1}"))))
                .isInstanceOf(JobConflictException.class);
        assertThat(store.find("b")).isEmpty();
    }

    @Test
    void updatesChangeStateAndMessageWhenTheyCarryThem() {
        store.save(job("a", JOB_A));

        store.append("a", JobUpdate.message("Downloading image: 10%", 5));
        StoredJob afterMessage = store.find("a").orElseThrow();
        assertThat(afterMessage.state()).isEqualTo(JobState.IN_QUEUE);
        assertThat(afterMessage.statusMessage()).isEqualTo("Downloading image: 10%");

        RecordedUpdate running = store.append("a", JobUpdate.state(JobState.RUNNING, null, 6));
        assertThat(running.sequence()).isEqualTo(2);
        StoredJob afterState = store.find("a").orElseThrow();
        assertThat(afterState.state()).isEqualTo(JobState.RUNNING);
        assertThat(afterState.statusMessage()).as("a state without a message keeps the last message")
                .isEqualTo("Downloading image: 10%");

        store.append("a", JobUpdate.state(JobState.SUSPENDED, "Suspended by the user", 7));
        assertThat(store.list()).singleElement().satisfies(summary -> {
            assertThat(summary.state()).isEqualTo(JobState.SUSPENDED);
            assertThat(summary.statusMessage()).isEqualTo("Suspended by the user");
        });

        assertThat(store.updates("a")).extracting(RecordedUpdate::sequence, RecordedUpdate::state,
                        RecordedUpdate::statusMessage, RecordedUpdate::timestamp)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, null, "Downloading image: 10%", 5L),
                        org.assertj.core.groups.Tuple.tuple(2L, JobState.RUNNING, null, 6L),
                        org.assertj.core.groups.Tuple.tuple(3L, JobState.SUSPENDED, "Suspended by the user", 7L));
        assertThat(store.updates("a").get(0).update()).isEqualTo(JobUpdate.message("Downloading image: 10%", 5));
    }

    @Test
    void theStoreIsTheHostsJobUpdates() {
        store.save(job("a", JOB_A));
        JobUpdates updates = store;

        updates.send("a", JobUpdate.state(JobState.FAILURE, "no node can run this VM", 9));

        assertThat(store.find("a").orElseThrow().state()).isEqualTo(JobState.FAILURE);
    }

    @Test
    void anUpdateForAnUnknownJobIsRecordedButCreatesNoJob() {
        RecordedUpdate update = store.append("ghost", JobUpdate.state(JobState.RUNNING, null, 1));

        assertThat(update.sequence()).isEqualTo(1);
        assertThat(store.updates("ghost")).hasSize(1);
        assertThat(store.find("ghost")).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(store.countByState()).isEmpty();
    }

    @Test
    void jobsAreCountedByState() {
        store.saveAll(List.of(job("a", JOB_A), job("b", JOB_B), job("c", "{}")));
        store.append("b", JobUpdate.state(JobState.RUNNING, null, 1));

        assertThat(store.countByState()).isEqualTo(Map.of(JobState.IN_QUEUE, 2L, JobState.RUNNING, 1L));
    }

    @Test
    void everythingSurvivesAReopen() {
        store.save(job("a", JOB_A));
        store.append("a", JobUpdate.state(JobState.RUNNING, "up", 3));
        store.append("ghost", JobUpdate.message("from an earlier life", 4));
        store.close();

        store = H2JobStore.open(dir.resolve("state/jobs"), CLOCK);

        assertThat(store.find("a").orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(store.find("a").orElseThrow().json()).isEqualTo(JOB_A);
        assertThat(store.updates("a")).hasSize(1);
        assertThat(store.updates("ghost")).hasSize(1);
        assertThat(store.append("a", JobUpdate.message("after restart", 5)).sequence())
                .as("sequences carry on").isEqualTo(2);
        assertThat(store.save(job("a", JOB_A))).isEqualTo(SaveOutcome.UNCHANGED);
    }

    @Test
    void concurrentAppendsGetGaplessSequencesAndLoseNothing() throws Exception {
        store.saveAll(List.of(job("a", JOB_A), job("b", JOB_B)));
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String jobId = t % 2 == 0 ? "a" : "b";
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        store.send(jobId, JobUpdate.message("t" + thread + "-" + i, i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (String jobId : List.of("a", "b")) {
            List<RecordedUpdate> updates = store.updates(jobId);
            int expected = threads / 2 * perThread;
            assertThat(updates).hasSize(expected);
            assertThat(updates).extracting(RecordedUpdate::sequence)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, expected).boxed().toList());
            assertThat(updates).extracting(RecordedUpdate::statusMessage).doesNotHaveDuplicates();
            // Each thread's own updates keep their order.
            for (int t = jobId.equals("a") ? 0 : 1; t < threads; t += 2) {
                String prefix = "t" + t + "-";
                assertThat(updates.stream().map(RecordedUpdate::statusMessage).filter(m -> m.startsWith(prefix))
                        .map(m -> Integer.parseInt(m.substring(prefix.length()))).toList())
                        .isSorted().hasSize(perThread);
            }
        }
    }

    @Test
    void concurrentSavesOfTheSameJobCreateItOnce() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<SaveOutcome>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return store.save(job("a", JOB_A));
                }));
            }
            go.countDown();
            List<SaveOutcome> outcomes = new ArrayList<>();
            for (Future<SaveOutcome> future : futures) {
                outcomes.add(future.get(60, TimeUnit.SECONDS));
            }
            assertThat(outcomes).containsOnlyOnce(SaveOutcome.CREATED);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badIdsAreRefused() {
        assertThatThrownBy(() -> job("", "{}")).hasMessage("job id is empty");
        assertThatThrownBy(() -> job("x".repeat(256), "{}")).hasMessageContaining("longer than 255");
        assertThatThrownBy(() -> store.append(" ", JobUpdate.message("m", 1))).hasMessage("job id is empty");
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();

        assertThatThrownBy(() -> store.find("a")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the job store is closed");
        assertThatThrownBy(() -> store.append("a", JobUpdate.message("m", 1)))
                .isInstanceOf(IllegalStateException.class);
        store.close(); // closing twice is harmless
    }

    @Test
    void aDatabaseFromANewerHarnessIsRefused() throws Exception {
        store.close();
        String url = "jdbc:h2:file:" + dir.resolve("state/jobs").toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE schema_version SET version = 99");
        }

        assertThatThrownBy(() -> H2JobStore.open(dir.resolve("state/jobs"), CLOCK))
                .isInstanceOf(JobStoreException.class)
                .hasMessageContaining("schema version 99, newer than this harness knows (" + Schema.CURRENT_VERSION + ")");

        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("UPDATE schema_version SET version = 1");
        }
        store = H2JobStore.open(dir.resolve("state/jobs"), CLOCK);
    }

    @Test
    void theSchemaVersionIsRecorded() throws Exception {
        store.close();
        String url = "jdbc:h2:file:" + dir.resolve("state/jobs").toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            assertThat(Schema.readVersion(connection)).isEqualTo(Schema.CURRENT_VERSION);
        }
        store = H2JobStore.open(dir.resolve("state/jobs"), CLOCK);
    }
}
