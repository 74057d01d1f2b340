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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store's write-ahead journal: what is journaled, what a replay gives, when the journal is emptied. */
class H2JobStoreJournalTest {
    private static final Clock LATER = Clock.fixed(Instant.ofEpochMilli(99_000), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state/jobs");
    }

    private Path journalFile() {
        return dir.resolve("state/jobs.journal");
    }

    private static JobSubmission job(String id, String json) {
        return new JobSubmission(id, json, JobState.IN_QUEUE);
    }

    /** A clock that moves on by one millisecond with each reading. */
    private static final class SteppingClock extends Clock {
        private long millis;

        SteppingClock(long start) {
            this.millis = start;
        }

        @Override
        public synchronized long millis() {
            return millis++;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** What the store answers about these jobs, to compare a store with its replayed self. */
    private static List<Object> everything(JobStore store, List<String> ids) {
        List<Object> answers = new ArrayList<>(store.list());
        for (String id : ids) {
            answers.add(store.find(id));
            answers.add(store.intent(id));
            answers.add(store.updates(id));
        }
        answers.add(store.jobsToCarryOn());
        return answers;
    }

    @Test
    void aReplayGivesTheSameStoreWithTheTimesOfTheAcknowledgementsAndRefusalsLeaveNoRecord() throws Exception {
        try (H2JobStore store = H2JobStore.open(file(), new SteppingClock(1_000))) {
            store.save(job("a", "{\"id\":\"a\"}"));
        }
        Path beforeTheWrites = dir.resolve("before.mv.db");
        Files.copy(dir.resolve("state/jobs.mv.db"), beforeTheWrites);
        List<String> ids = List.of("a", "b", "c", "ghost");
        List<Object> acknowledged = new ArrayList<>();
        List<Object> answers;
        Path journalCopy = dir.resolve("journal.copy");
        try (H2JobStore store = H2JobStore.open(file(), new SteppingClock(5_000))) {
            acknowledged.add(store.saveAll(List.of(job("b", "{\"id\":\"b\"}"), job("a", "{\"id\":\"a\"}"))));
            assertThatThrownBy(() -> store.save(job("a", "{\"id\":\"a\",\"other\":1}")))
                    .isInstanceOf(JobConflictException.class);
            store.recordRequests(List.of("a"), JobOperation.SUSPEND);
            assertThatThrownBy(() -> store.recordRequests(List.of("a", "nope"), JobOperation.UNSUSPEND))
                    .isInstanceOf(IllegalArgumentException.class);
            store.markCarriedOut("a", 3, true);
            acknowledged.add(store.append("a", JobUpdate.state(JobState.SUSPENDED, "asleep", 7)));
            acknowledged.add(store.append("ghost", JobUpdate.message("from an earlier life", 8)));
            store.recordRequests(List.of("b"), JobOperation.TERMINATE);
            assertThatThrownBy(() -> store.recordRequests(List.of("b"), JobOperation.SUSPEND))
                    .isInstanceOf(JobRefusedException.class);
            assertThatThrownBy(() -> store.save(job("b", "{\"id\":\"b\"}"))).isInstanceOf(JobRefusedException.class);
            acknowledged.add(store.saveAll(List.of(job("c", "{\"id\":\"c\"}"))));
            acknowledged.add(store.append("c", JobUpdate.state(JobState.RUNNING, null, 9)));
            answers = everything(store, ids);
            Files.copy(journalFile(), journalCopy);
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(journalCopy)) {
            assertThat(journal.recovered()).as("the acknowledged writes, numbered on from the first store's, and"
                    + " none of the refused ones").extracting(WriteAheadJournal.Entry::sequence)
                    .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }

        // The database as it was before the writes, the journal as it was when the last one was acknowledged:
        // what a database that lost every one of them would find.
        Files.copy(beforeTheWrites, dir.resolve("state/jobs.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(journalCopy, journalFile(), StandardCopyOption.REPLACE_EXISTING);
        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            assertThat(everything(store, ids)).as("revisions, sequence numbers and times as acknowledged")
                    .isEqualTo(answers);
            assertThat(store.find("c").orElseThrow().createdAt()).isLessThan(LATER.millis());
            assertThat(store.append("a", JobUpdate.message("after the replay", 10)).sequence()).isEqualTo(2);
            assertThat(store.updates("a").get(0)).isEqualTo(acknowledged.get(1));
            assertThat(store.updates("c").get(0)).isEqualTo(acknowledged.get(4));
        }
    }

    @Test
    void aReplacedJobDocumentIsKeptWithItsStateAndRequestsAndAnUnknownJobChangesNothing() {
        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            store.save(job("a", "{\"id\":\"a\"}"));
            store.recordRequests(List.of("a"), JobOperation.SUSPEND);

            store.replaceJob("a", "{\"id\":\"a\",\"resources\":[1]}");

            assertThatThrownBy(() -> store.replaceJob("ghost", "{}")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ghost");
            assertThat(store.find("ghost")).isEmpty();
        }
        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            assertThat(store.find("a").orElseThrow().json()).isEqualTo("{\"id\":\"a\",\"resources\":[1]}");
            assertThat(store.intent("a").orElseThrow().operation()).isEqualTo(JobOperation.SUSPEND);
        }
    }

    @Test
    void closingMakesTheDatabaseDurableAndLeavesAnEmptyJournalThatSaysSo() throws Exception {
        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            store.save(job("a", "{}"));
            assertThat(journalFile()).as("next to the database").isRegularFile();
            assertThat(Files.size(journalFile())).isGreaterThan(WriteAheadJournal.HEADER_BYTES);
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(journalFile())) {
            assertThat(journal.isEmpty()).isTrue();
            assertThat(journal.closedCleanly()).isTrue();
        }
        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            assertThat(store.find("a")).isPresent();
            assertThat(store.append("a", JobUpdate.message("m", 1)).sequence()).isEqualTo(1);
        }
    }

    @Test
    void aJournalOverItsBoundIsEmptiedBeforeTheNextWriteAndNothingIsLost() throws Exception {
        long bound = 4_096;
        String message = "m".repeat(500);
        try (H2JobStore store = H2JobStore.open(file(), LATER, bound)) {
            store.save(job("a", "{}"));
            long largest = 0;
            for (int i = 0; i < 40; i++) {
                store.append("a", JobUpdate.message(message + i, i));
                largest = Math.max(largest, Files.size(journalFile()));
            }
            assertThat(largest).as("emptied again and again, never much over its bound")
                    .isLessThan(bound + 1_000);
            assertThat(store.updates("a")).extracting(RecordedUpdate::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        }
        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            assertThat(store.updates("a")).hasSize(40);
            assertThat(store.updates("a").get(39).statusMessage()).isEqualTo(message + 39);
        }
    }

    @Test
    void anIntactRecordHoldingNullStopsTheOpen() {
        writeJournal(1, "null");

        assertThatThrownBy(() -> H2JobStore.open(file(), LATER)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("record 1 is intact but cannot be read: the record is null, not a write");
    }

    @Test
    void anIntactRecordThatCannotBeReadStopsTheOpenAndIsKept() {
        writeJournal(1, "{\"write\":\"format of a newer harness\"}");

        assertThatThrownBy(() -> H2JobStore.open(file(), LATER)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(journalFile().toString())
                .hasMessageContaining("record 1 is intact but cannot be read");
        try (WriteAheadJournal journal = WriteAheadJournal.open(journalFile())) {
            assertThat(journal.recovered()).hasSize(1);
        }
    }

    @Test
    void anIntactRecordThatCannotBeAppliedStopsTheOpen() {
        writeJournal(1, new String(new StoreWriteCodec().encode(
                new StoreWrite.Requests(List.of("never-saved"), JobOperation.SUSPEND)), StandardCharsets.UTF_8));

        assertThatThrownBy(() -> H2JobStore.open(file(), LATER)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(journalFile().toString())
                .hasMessageContaining("record 1 cannot be applied: jobs not recorded: never-saved");
    }

    @Test
    void aJournalThatDoesNotReachBackToTheDatabaseStopsTheOpen() {
        writeJournal(5, new String(new StoreWriteCodec().encode(new StoreWrite.CarriedOut("a", 1, true)),
                StandardCharsets.UTF_8));

        assertThatThrownBy(() -> H2JobStore.open(file(), LATER)).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("continues with record 5 but the database")
                .hasMessageContaining("has applied records up to 0 only");
    }

    @Test
    void aVersion2DatabaseGetsAJournalPositionOfZeroAndKeepsItsJobs() throws Exception {
        Files.createDirectories(file().getParent());
        String url = "jdbc:h2:file:" + file().toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            statement.execute("INSERT INTO schema_version VALUES (2)");
            statement.execute("CREATE TABLE jobs (id VARCHAR(255) PRIMARY KEY, job_json CHARACTER LARGE OBJECT NOT NULL,"
                    + " state VARCHAR(32) NOT NULL, status_message CHARACTER LARGE OBJECT, created_at BIGINT NOT NULL,"
                    + " updated_at BIGINT NOT NULL, requested VARCHAR(16) NOT NULL, request_revision BIGINT NOT NULL,"
                    + " carried_out_revision BIGINT NOT NULL, started BOOLEAN NOT NULL)");
            statement.execute("CREATE TABLE job_updates (job_id VARCHAR(255) NOT NULL, sequence_no BIGINT NOT NULL,"
                    + " state VARCHAR(32), status_message CHARACTER LARGE OBJECT, happened_at BIGINT NOT NULL,"
                    + " received_at BIGINT NOT NULL, PRIMARY KEY (job_id, sequence_no))");
            statement.execute("INSERT INTO jobs VALUES ('s', '{}', 'SUSPENDED', 'asleep', 2, 3, 'SUSPEND', 2, 1, TRUE)");
        }

        try (H2JobStore store = H2JobStore.open(file(), LATER)) {
            assertThat(store.intent("s")).contains(new JobIntent("s", JobOperation.SUSPEND, 2, 1, true));
            assertThat(store.find("s").orElseThrow().statusMessage()).isEqualTo("asleep");
            store.markCarriedOut("s", 2, true);
        }
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            assertThat(Schema.readVersion(connection)).isEqualTo(Schema.CURRENT_VERSION);
            assertThat(H2JobStore.appliedSequence(connection)).as("the first journal record, applied").isEqualTo(1);
        }
    }

    private void writeJournal(long sequence, String payload) {
        try {
            Files.createDirectories(journalFile().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(journalFile())) {
            journal.append(sequence, payload.getBytes(StandardCharsets.UTF_8));
        }
    }
}
