package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store as the outbox of job updates to Core: delivery states, the pending read, the marks, version 4. */
class H2JobStoreDeliveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state/jobs");
    }

    private static List<String> names(List<RecordedUpdate> updates) {
        return updates.stream().map(u -> u.id().toString()).toList();
    }

    private static RecordedUpdate message(JobStore store, String jobId) {
        return store.append(jobId, JobUpdate.message("m", 1));
    }

    @Test
    void anUpdateIsRecordedPendingAndThePendingReadIsOldestFirstAcrossJobsAndBounded() {
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            for (String job : List.of("b", "a", "b", "c", "a", "a")) {
                message(store, job);
            }
            assertThat(store.delivery(new UpdateId("b", 1))).contains(DeliveryState.PENDING);
            assertThat(store.delivery(new UpdateId("b", 9))).isEmpty();
            assertThat(names(store.pendingDeliveries(100)))
                    .as("the order they arrived in, whatever the ids")
                    .containsExactly("b#1", "a#1", "b#2", "c#1", "a#2", "a#3");
            assertThat(names(store.pendingDeliveries(3))).containsExactly("b#1", "a#1", "b#2");
            assertThat(names(store.pendingDeliveries(3, Set.of("b", "c")))).as("without the jobs held back")
                    .containsExactly("a#1", "a#2", "a#3");
            assertThat(store.pendingDeliveries(1).get(0))
                    .as("the update as recorded").isEqualTo(store.updates("b").get(0));
            assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.PENDING, 6L));
            assertThatThrownBy(() -> store.pendingDeliveries(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit must be positive");
        }
    }

    @Test
    void markedUpdatesLeaveThePendingReadAndKeepTheirFirstOutcome() {
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            for (String job : List.of("a", "b", "a", "c", "a")) {
                message(store, job);
            }
            store.markDelivered(List.of(new UpdateId("a", 1), new UpdateId("b", 1)));
            store.markDropped(List.of(new UpdateId("c", 1)));
            store.markRefused(List.of(new UpdateId("a", 2)));
            assertThat(names(store.pendingDeliveries(10))).containsExactly("a#3");

            store.markDropped(List.of(new UpdateId("a", 1)));
            assertThat(store.delivery(new UpdateId("a", 1))).contains(DeliveryState.DELIVERED);
            assertThat(store.delivery(new UpdateId("a", 2))).contains(DeliveryState.REFUSED);
            assertThat(store.delivery(new UpdateId("c", 1))).contains(DeliveryState.DROPPED);
            assertThat(store.countByDelivery()).isEqualTo(Map.of(DeliveryState.DELIVERED, 2L,
                    DeliveryState.REFUSED, 1L, DeliveryState.DROPPED, 1L, DeliveryState.PENDING, 1L));
            assertThat(store.updates("a")).as("every update is kept, whatever its delivery").hasSize(3);
        }
    }

    @Test
    void aMarkOfAnUpdateNotRecordedIsRefusedAndJournalsNothingAndAnEmptyMarkJournalsNothing() throws Exception {
        Path journal = H2JobStore.journalFile(file().toAbsolutePath());
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            message(store, "a");
            long size = Files.size(journal);

            assertThatThrownBy(() -> store.markDelivered(List.of(new UpdateId("a", 1), new UpdateId("a", 2),
                    new UpdateId("ghost", 1)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("updates not recorded: a#2, ghost#1");
            store.markRefused(List.of());

            assertThat(Files.size(journal)).isEqualTo(size);
            assertThat(store.delivery(new UpdateId("a", 1))).as("all or nothing").contains(DeliveryState.PENDING);
        }
    }

    @Test
    void theOrderOfArrivalHoldsAcrossAReopenAndAnEmptyingOfTheJournal() {
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            message(store, "z");
        }
        try (H2JobStore store = H2JobStore.open(file(), CLOCK, 1)) {
            // A journal bound of 1 byte: every write first empties the journal.
            message(store, "a");
            message(store, "z");
        }
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            message(store, "b");
            assertThat(names(store.pendingDeliveries(10))).containsExactly("z#1", "a#1", "z#2", "b#1");
        }
    }

    @Test
    void aReplayOfTheJournalGivesTheSameDeliveryStates() throws Exception {
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            message(store, "a");
        }
        Path beforeTheWrites = dir.resolve("before.mv.db");
        Files.copy(dir.resolve("state/jobs.mv.db"), beforeTheWrites);
        Path journalCopy = dir.resolve("journal.copy");
        List<Object> answers;
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            message(store, "a");
            message(store, "b");
            message(store, "c");
            message(store, "a");
            store.markDelivered(List.of(new UpdateId("a", 1), new UpdateId("a", 2)));
            store.markDropped(List.of(new UpdateId("b", 1)));
            assertThatThrownBy(() -> store.markDropped(List.of(new UpdateId("nope", 1))))
                    .isInstanceOf(IllegalArgumentException.class);
            store.markRefused(List.of(new UpdateId("c", 1)));
            answers = deliveries(store);
            Files.copy(H2JobStore.journalFile(file().toAbsolutePath()), journalCopy);
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(journalCopy)) {
            assertThat(journal.recovered()).as("four updates and three marks; not the refused mark").hasSize(7);
            assertThat(new StoreWriteCodec().decode(journal.recovered().get(4).payload()))
                    .isEqualTo(new StoreWrite.Delivery(List.of(new UpdateId("a", 1), new UpdateId("a", 2)),
                            DeliveryState.DELIVERED));
        }

        Files.copy(beforeTheWrites, dir.resolve("state/jobs.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(journalCopy, H2JobStore.journalFile(file().toAbsolutePath()), StandardCopyOption.REPLACE_EXISTING);
        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            assertThat(deliveries(store)).isEqualTo(answers);
            assertThat(names(store.pendingDeliveries(10))).containsExactly("a#3");
        }
    }

    private static List<Object> deliveries(JobStore store) {
        List<Object> answers = new ArrayList<>();
        for (String job : List.of("a", "b", "c")) {
            for (RecordedUpdate update : store.updates(job)) {
                answers.add(update);
                answers.add(store.delivery(update.id()));
            }
        }
        answers.add(store.pendingDeliveries(10));
        answers.add(store.countByDelivery());
        return answers;
    }

    @Test
    void aDeliveryWriteIsJournaledAsJsonAndAPendingOutcomeCannotBeRead() {
        StoreWriteCodec codec = new StoreWriteCodec();
        StoreWrite write = new StoreWrite.Delivery(List.of(new UpdateId("a", 2)), DeliveryState.REFUSED);

        assertThat(new String(codec.encode(write), StandardCharsets.UTF_8)).isEqualTo(
                "{\"write\":\"delivery\",\"updates\":[{\"jobId\":\"a\",\"sequence\":2}],\"outcome\":\"REFUSED\"}");
        assertThat(codec.decode(codec.encode(write))).isEqualTo(write);
        assertThatThrownBy(() -> codec.decode(("{\"write\":\"delivery\",\"updates\":[],\"outcome\":\"PENDING\"}")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("outcome is not PENDING");
        assertThatThrownBy(() -> new UpdateId("a", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVersion3DatabaseKeepsItsUpdatesAsDeliveredAndNewOnesArePending() throws Exception {
        Files.createDirectories(file().getParent());
        String url = "jdbc:h2:file:" + file().toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            statement.execute("INSERT INTO schema_version VALUES (3)");
            statement.execute("CREATE TABLE jobs (id VARCHAR(255) PRIMARY KEY, job_json CHARACTER LARGE OBJECT NOT NULL,"
                    + " state VARCHAR(32) NOT NULL, status_message CHARACTER LARGE OBJECT, created_at BIGINT NOT NULL,"
                    + " updated_at BIGINT NOT NULL, requested VARCHAR(16) NOT NULL, request_revision BIGINT NOT NULL,"
                    + " carried_out_revision BIGINT NOT NULL, started BOOLEAN NOT NULL)");
            statement.execute("CREATE TABLE job_updates (job_id VARCHAR(255) NOT NULL, sequence_no BIGINT NOT NULL,"
                    + " state VARCHAR(32), status_message CHARACTER LARGE OBJECT, happened_at BIGINT NOT NULL,"
                    + " received_at BIGINT NOT NULL, PRIMARY KEY (job_id, sequence_no))");
            statement.execute("CREATE INDEX jobs_by_state ON jobs (state)");
            statement.execute("CREATE TABLE journal_position (applied_sequence BIGINT NOT NULL)");
            statement.execute("INSERT INTO journal_position VALUES (41)");
            statement.execute("INSERT INTO jobs VALUES ('r', '{}', 'RUNNING', 'up', 2, 5, 'START', 1, 1, TRUE)");
            statement.execute("INSERT INTO job_updates VALUES ('r', 1, 'RUNNING', 'up', 4, 5)");
            statement.execute("INSERT INTO job_updates VALUES ('r', 2, NULL, 'still up', 6, 7)");
        }

        try (H2JobStore store = H2JobStore.open(file(), CLOCK)) {
            assertThat(store.delivery(new UpdateId("r", 1))).contains(DeliveryState.DELIVERED);
            assertThat(store.delivery(new UpdateId("r", 2))).contains(DeliveryState.DELIVERED);
            assertThat(store.pendingDeliveries(10)).as("they predate delivery to Core").isEmpty();
            RecordedUpdate next = store.append("r", JobUpdate.state(JobState.SUCCESS, "done", 8));
            assertThat(next.sequence()).isEqualTo(3);
            assertThat(store.pendingDeliveries(10)).containsExactly(next);
        }
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            assertThat(Schema.readVersion(connection)).isEqualTo(Schema.CURRENT_VERSION);
            assertThat(H2JobStore.appliedSequence(connection)).isEqualTo(42);
        }
    }
}
