package dk.sdu.cloud.im.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sdu.cloud.im.testdata.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring as written: round trip through {@link RingDump}, torn slots detected, and the golden file both sides'
 * tests read (testdata {@code metrics/golden.ring}) is exactly what this writer writes.
 */
class RingWriterTest {
    /** Set to the testdata file's path to write the golden file anew (after a deliberate format change). */
    private static final String UPDATE_GOLDEN = "metrics.updateGolden";

    @TempDir
    Path folder;

    /** The golden ring: 8 slots of 64 columns, 11 samples written, so the first three were overwritten. */
    static void writeGolden(Path folder) throws IOException {
        try (var ring = RingWriter.create(folder, 8, MetricsFormat.COLUMNS, 0x0123456789ABCDEFL,
                Instant.parse("2026-01-01T00:00:00Z"))) {
            for (int i = 1; i <= 11; i++) {
                ring.append(GoldenRows.row(i));
            }
        }
    }

    @Test
    void theGoldenFileIsWhatTheWriterWrites() throws IOException {
        writeGolden(folder);
        byte[] written = Files.readAllBytes(folder.resolve(MetricsFormat.RING_FILE));
        String update = System.getProperty(UPDATE_GOLDEN);
        if (update != null) {
            Files.write(Path.of(update), written);
        }
        try (InputStream golden = TestData.open(TestData.METRICS_GOLDEN_RING)) {
            assertThat(golden.readAllBytes()).isEqualTo(written);
        }
        assertThat(written).hasSize(MetricsFormat.HEADER_SIZE + 8 * MetricsFormat.SLOT_SIZE);
    }

    @Test
    void roundTripKeepsTheLastLapInOrder() throws IOException {
        writeGolden(folder);
        var dump = RingDump.read(folder.resolve(MetricsFormat.RING_FILE));
        assertThat(dump.ringId()).isEqualTo(0x0123456789ABCDEFL);
        assertThat(dump.created()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(dump.slots()).isEqualTo(8);
        assertThat(dump.columns()).isEqualTo(MetricsFormat.COLUMNS);
        assertThat(dump.torn()).isZero();
        assertThat(dump.rows()).extracting(RingDump.Row::sequence).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(dump.rows().get(7).values()).isEqualTo(GoldenRows.row(11));
        assertThat(Files.exists(folder.resolve(MetricsFormat.RING_FILE + MetricsFormat.TEMPORARY_SUFFIX))).isFalse();
    }

    @Test
    void aTornSlotIsLeftOutAndCounted() throws IOException {
        writeGolden(folder);
        Path ring = folder.resolve(MetricsFormat.RING_FILE);
        // Sample 11 lives in slot (11 - 1) % 8 = 2; flip a byte of its payload.
        try (var file = new RandomAccessFile(ring.toFile(), "rw")) {
            long at = MetricsFormat.HEADER_SIZE + 2L * MetricsFormat.SLOT_SIZE + MetricsFormat.SLOT_HEADER_SIZE + 9;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x40);
        }
        var dump = RingDump.read(ring);
        assertThat(dump.torn()).isEqualTo(1);
        assertThat(dump.rows()).extracting(RingDump.Row::sequence).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aNewRingReplacesTheOldOneWhole() throws IOException {
        writeGolden(folder);
        try (var ring = RingWriter.create(folder, 4, 2, 42, Instant.EPOCH)) {
            ring.append(new double[] {1, 2});
            assertThat(ring.lastSequence()).isEqualTo(1);
            assertThatThrownBy(() -> ring.append(new double[3])).isInstanceOf(IllegalArgumentException.class);
        }
        var dump = RingDump.read(folder.resolve(MetricsFormat.RING_FILE));
        assertThat(dump.ringId()).isEqualTo(42);
        assertThat(dump.rows()).hasSize(1);
        assertThat(dump.rows().get(0).values()).containsExactly(1, 2);
    }

    @Test
    void somethingElseIsNotARing() throws IOException {
        Path file = folder.resolve("garbage");
        Files.writeString(file, "x".repeat(200));
        assertThatThrownBy(() -> RingDump.read(file)).isInstanceOf(IOException.class).hasMessageContaining("not a metrics ring");
    }
}
