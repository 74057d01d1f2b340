package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.store.DriveTable;
import dk.sdu.cloud.im.harness.store.KnownDrive;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DriveCache}: the table and Core are asked once per drive; later lookups read memory. */
class DriveCacheTest {

    /** A table counting its reads. */
    private static final class CountingTable implements DriveTable {
        private final MemoryDriveTable table = new MemoryDriveTable();
        private final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<KnownDrive> find(String driveId) {
            reads.incrementAndGet();
            return table.find(driveId);
        }

        @Override
        public Optional<KnownDrive> findByProviderGeneratedId(String providerGeneratedId) {
            reads.incrementAndGet();
            return table.findByProviderGeneratedId(providerGeneratedId);
        }

        @Override
        public void remember(KnownDrive drive) {
            table.remember(drive);
        }
    }

    @Test
    void aDriveIsReadFromTheTableOrCoreOnceAndFromMemoryAfter() {
        FakeCore core = new FakeCore().drive("17", "h-alice#1", "alice#1", null);
        CountingTable table = new CountingTable();
        DriveCache cache = new DriveCache(table, new CoreDrives(core, Clock.systemUTC()));

        assertThat(cache.byId("17")).get().extracting(KnownDrive::id).isEqualTo("17");
        for (int i = 0; i < 100; i++) {
            assertThat(cache.byId("17")).isPresent();
            assertThat(cache.byProviderGeneratedId("h-alice#1")).get().extracting(KnownDrive::id).isEqualTo("17");
        }

        assertThat(core.calls()).hasSize(1);
        assertThat(table.reads.get()).as("one miss, then memory").isEqualTo(1);
    }

    @Test
    void aDriveTheTableKnowsIsReadFromItOnce() {
        FakeCore core = new FakeCore();
        CountingTable table = new CountingTable();
        new DriveCache(table, new CoreDrives(core, Clock.systemUTC())).remember(new KnownDrive("9", Optional.of("h-bob#2"),
                "bob#2", Optional.empty(), "storage", "storage", "k8s", 0));
        DriveCache afterRestart = new DriveCache(table, new CoreDrives(core, Clock.systemUTC()));

        for (int i = 0; i < 10; i++) {
            assertThat(afterRestart.byProviderGeneratedId("h-bob#2")).isPresent();
            assertThat(afterRestart.byId("9")).isPresent();
        }

        assertThat(core.calls()).isEmpty();
        assertThat(table.reads.get()).isEqualTo(1);
    }
}
