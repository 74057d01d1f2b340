package dk.sdu.cloud.im.harness.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteAheadJournalTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("jobs.journal");
    }

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(WriteAheadJournal.Entry entry) {
        return new String(entry.payload(), StandardCharsets.UTF_8);
    }

    /** A record as the journal frames it: length, CRC32C, sequence, payload. */
    private static byte[] frame(long sequence, byte[] payload) {
        ByteBuffer body = ByteBuffer.allocate(8 + payload.length).putLong(sequence).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        return ByteBuffer.allocate(8 + body.capacity()).putInt(body.capacity()).putInt((int) crc.getValue())
                .put(body.array()).array();
    }

    private void appendBytes(byte[] bytes) throws IOException {
        Files.write(file(), bytes, StandardOpenOption.APPEND);
    }

    @Test
    void recordsComeBackInOrderAfterAReopen() {
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).isEmpty();
            assertThat(journal.isEmpty()).isTrue();
            journal.append(1, payload("one"));
            journal.append(2, payload(""));
            journal.append(3, payload("three ✓"));
            assertThat(journal.isEmpty()).isFalse();
        }

        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).extracting(WriteAheadJournal.Entry::sequence).containsExactly(1L, 2L, 3L);
            assertThat(journal.recovered()).extracting(WriteAheadJournal.Entry::payload)
                    .containsExactly(payload("one"), payload(""), payload("three ✓"));
            assertThat(journal.lastSequence()).isEqualTo(3);
            assertThat(journal.closedCleanly()).as("nothing marked it closed").isFalse();
        }
    }

    @Test
    void anIncompleteLastRecordIsCutOffAndTheNextAppendFollowsTheIntactOnes() throws IOException {
        long intactSize;
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            journal.append(1, payload("one"));
            journal.append(2, payload("two"));
            intactSize = journal.size();
        }
        byte[] third = frame(3, payload("three, cut short"));
        appendBytes(Arrays.copyOf(third, third.length - 5));

        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).extracting(WriteAheadJournal.Entry::sequence).containsExactly(1L, 2L);
            assertThat(Files.size(file())).isEqualTo(intactSize);
            journal.append(3, payload("three again"));
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).extracting(WriteAheadJournal.Entry::sequence).containsExactly(1L, 2L, 3L);
            assertThat(text(journal.recovered().get(2))).isEqualTo("three again");
        }
    }

    @Test
    void aHeaderCutShortOrZerosAtTheEndAreDroppedToo() throws IOException {
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            journal.append(1, payload("one"));
        }
        appendBytes(new byte[]{0, 0, 0});
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).hasSize(1);
        }
        appendBytes(new byte[64]); // a power loss can leave a file longer than what was written, as zeros
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).hasSize(1);
            assertThat(journal.size()).isEqualTo(WriteAheadJournal.HEADER_BYTES + frame(1, payload("one")).length);
        }
    }

    @Test
    void aDamagedRecordInTheMiddleEndsWhatIsTrusted() throws IOException {
        long afterFirst;
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            journal.append(1, payload("one"));
            afterFirst = journal.size();
            journal.append(2, payload("two"));
            journal.append(3, payload("three"));
        }
        byte[] bytes = Files.readAllBytes(file());
        bytes[(int) afterFirst + 16] ^= 1; // the first payload byte of record 2
        Files.write(file(), bytes);

        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).as("record 3 is intact but follows damage: not trusted")
                    .extracting(WriteAheadJournal.Entry::sequence).containsExactly(1L);
            assertThat(journal.size()).isEqualTo(afterFirst);
            assertThat(journal.lastSequence()).isEqualTo(1);
            journal.append(2, payload("two again"));
        }
    }

    @Test
    void sequenceNumbersCarryOnAfterAReopenAndAfterTheJournalIsEmptied() {
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            journal.append(7, payload("the first may start anywhere"));
            journal.append(8, payload("x"));
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThatThrownBy(() -> journal.append(10, payload("a gap"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("record 10 cannot follow record 8");
            assertThatThrownBy(() -> journal.append(8, payload("again"))).isInstanceOf(IllegalArgumentException.class);
            journal.append(9, payload("x"));

            journal.truncate();
            assertThat(journal.isEmpty()).isTrue();
            assertThat(journal.size()).isEqualTo(WriteAheadJournal.HEADER_BYTES);
            assertThat(journal.lastSequence()).isEqualTo(9);
            assertThatThrownBy(() -> journal.append(9, payload("again"))).isInstanceOf(IllegalArgumentException.class);
            journal.append(10, payload("ten"));
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).extracting(WriteAheadJournal.Entry::sequence).containsExactly(10L);
        }
    }

    @Test
    void intactRecordsOutOfSequenceAreRefusedNotSkipped() throws IOException {
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            journal.append(1, payload("one"));
        }
        appendBytes(frame(3, payload("three")));

        assertThatThrownBy(() -> WriteAheadJournal.open(file())).isInstanceOf(JobStoreException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("holds record 3 after record 1");
    }

    @Test
    void theJournalSaysWhetherTheStoreWasClosed() {
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.closedCleanly()).as("a new journal").isFalse();
            journal.append(1, payload("one"));
            journal.markClosed();
            assertThat(journal.isEmpty()).isTrue();
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.closedCleanly()).isTrue();
            journal.markOpen();
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.closedCleanly()).as("opened and never closed: killed").isFalse();
        }
    }

    @Test
    void aFileThatIsNotAJournalIsRefused() throws IOException {
        Files.writeString(file(), "jobs,state\n1,RUNNING\n");

        assertThatThrownBy(() -> WriteAheadJournal.open(file())).isInstanceOf(JobStoreException.class)
                .hasMessageContaining("is not a job store journal");
        assertThat(Files.readString(file())).as("left as it was").isEqualTo("jobs,state\n1,RUNNING\n");
    }

    @Test
    void aJournalCreatedButNeverWrittenIsStartedAfresh() throws IOException {
        Files.write(file(), Arrays.copyOf(WriteAheadJournal.MAGIC, 3));

        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).isEmpty();
            assertThat(journal.closedCleanly()).isFalse();
            journal.append(1, payload("one"));
        }
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThat(journal.recovered()).hasSize(1);
        }
    }

    @Test
    void oneStoreAtATime() {
        try (WriteAheadJournal journal = WriteAheadJournal.open(file())) {
            assertThatThrownBy(() -> WriteAheadJournal.open(file())).isInstanceOf(JobStoreException.class)
                    .hasMessageContaining("in use by another store");
            journal.append(1, payload("still usable"));
        }
    }
}
