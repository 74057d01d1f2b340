package dk.sdu.cloud.im.harness.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class H2DriveTableTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);
    @TempDir
    Path dir;
    private H2JobStore store;
    private DriveTable table;

    @BeforeEach
    void open() {
        store = H2JobStore.open(dir.resolve("jobs"), CLOCK);
        table = H2DriveTable.of(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static KnownDrive drive(String id, String providerGeneratedId, String project, long fetchedAt) {
        return new KnownDrive(id, Optional.ofNullable(providerGeneratedId), "bob#1", Optional.ofNullable(project),
                "project-home", "storage", "k8s", fetchedAt);
    }

    @Test
    void aDriveIsFoundByIdAndByProviderGeneratedId() {
        KnownDrive member = drive("3", "pm-p-1/bob#1", "p-1", 10);
        KnownDrive collection = drive("17", null, null, 11);
        table.remember(member);
        table.remember(collection);

        assertThat(table.find("3")).contains(member);
        assertThat(table.find("17")).contains(collection);
        assertThat(table.find("4")).isEmpty();
        assertThat(table.findByProviderGeneratedId("pm-p-1/bob#1")).contains(member);
        assertThat(table.findByProviderGeneratedId("h-bob#1")).isEmpty();
    }

    @Test
    void rememberingADriveAgainReplacesItAndTheNewestOfOneProviderGeneratedIdWins() {
        table.remember(drive("3", "h-bob#1", null, 10));
        table.remember(drive("3", "h-bob#1", null, 20));
        table.remember(drive("9", "h-bob#1", null, 30));

        assertThat(table.find("3")).hasValueSatisfying(d -> assertThat(d.fetchedAt()).isEqualTo(20));
        assertThat(table.findByProviderGeneratedId("h-bob#1")).hasValueSatisfying(d -> assertThat(d.id()).isEqualTo("9"));
    }

    @Test
    void drivesOutliveAReopenAndDoNotTouchTheJournal() {
        long journal = WriteAheadJournalSize.of(dir.resolve("jobs"));
        table.remember(drive("3", "h-bob#1", null, 10));
        assertThat(WriteAheadJournalSize.of(dir.resolve("jobs"))).isEqualTo(journal);

        store.close();
        store = H2JobStore.open(dir.resolve("jobs"), CLOCK);
        assertThat(H2DriveTable.of(store).find("3")).contains(drive("3", "h-bob#1", null, 10));
    }

    /** The size of a store's journal file. */
    private static final class WriteAheadJournalSize {
        static long of(Path storeFile) {
            try {
                return java.nio.file.Files.size(H2JobStore.journalFile(storeFile.toAbsolutePath().normalize()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
