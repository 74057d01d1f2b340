package dk.sdu.cloud.im.kubevirt.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ring reader on the agent's golden ring and on broken rings: torn slots, wrong headers, lapped readers. */
class RingReaderTest {
    private static final long MAX = MetricsFeedSettings.DEFAULTS.maxRingBytes();

    @TempDir
    Path work;

    private static RingReader reader(SeekableByteChannel channel) throws Exception {
        return RingReader.open(channel, channel.size(), MAX);
    }

    private static List<Long> sequences(List<Sample> samples) {
        return samples.stream().map(Sample::sequence).toList();
    }

    @Test
    void readsTheGoldenRingTheAgentWrote() throws Exception {
        Path file = work.resolve("golden.ring");
        Files.write(file, TestRing.golden());
        try (var channel = FileChannel.open(file)) {
            var reader = reader(channel);
            assertThat(reader.header()).isEqualTo(new RingHeader(0x0123456789ABCDEFL, 16 + 64 * 8, 8));
            List<Sample> all = reader.all();
            assertThat(sequences(all)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            // The agent's GoldenRows: sample i at 1767225600000 + 250 i ms, CPU 12.5 i %, memory 1e6 i bytes, ...
            Sample last = all.get(7);
            assertThat(last.values()).hasSize(64);
            assertThat(last.column(0)).isEqualTo(1767225600000.0 + 250 * 11);
            assertThat(last.column(MetricsFileFormat.COLUMN_CPU_PERCENT)).isEqualTo(137.5);
            assertThat(last.column(MetricsFileFormat.COLUMN_MEMORY_USED)).isEqualTo(11_000_000.0);
            assertThat(last.column(MetricsFileFormat.COLUMN_NET_FIRST)).isEqualTo(1011);
            assertThat(last.column(MetricsFileFormat.COLUMN_DISK_WRITE)).isEqualTo(8192.0 * 11);
            assertThat(last.column(MetricsFileFormat.COLUMN_FS_TOTAL)).isEqualTo(20_000_000_000.0);
            assertThat(last.column(MetricsFileFormat.COLUMN_CPU_LIMIT_PERCENT)).isEqualTo(200);
            assertThat(last.column(MetricsFileFormat.COLUMN_MEMORY_TOTAL)).isEqualTo(2_147_483_648.0);
            assertThat(sequences(reader.from(10))).containsExactly(10L, 11L);
            assertThat(reader.from(12)).isEmpty();
        }
    }

    @Test
    void aTornSlotIsSkippedOnlyOnceSomethingAfterItIsWhole() throws Exception {
        var ring = TestRing.create(work, 8, 4, 7);
        for (int i = 1; i <= 5; i++) {
            ring.append(i * 10);
        }
        ring.tear(5);
        try (var channel = FileChannel.open(ring.file())) {
            // 5 is torn and nothing follows: maybe a write in progress, so it is not skipped yet.
            assertThat(sequences(reader(channel).from(4))).containsExactly(4L);
            assertThat(sequences(reader(channel).all())).containsExactly(1L, 2L, 3L, 4L);
        }
        ring.append(60);
        try (var channel = FileChannel.open(ring.file())) {
            // 6 is whole, so 5 stays torn for good: skipped.
            assertThat(sequences(reader(channel).from(5))).containsExactly(6L);
        }
    }

    @Test
    void aReaderLappedByTheWriterReadsTheRingWhole() throws Exception {
        var ring = TestRing.create(work, 4, 2, 7);
        for (int i = 1; i <= 10; i++) {
            ring.append(i);
        }
        try (var channel = FileChannel.open(ring.file())) {
            assertThat(sequences(reader(channel).from(3))).containsExactly(7L, 8L, 9L, 10L);
        }
    }

    @Test
    void slotsThatLieAboutTheirLengthOrSequenceAreTorn() throws Exception {
        var ring = TestRing.create(work, 4, 2, 7);
        ring.append(1);
        ring.append(2);
        try (var channel = FileChannel.open(ring.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, 1 << 30), ring.position(1) + 8);          // length
            channel.write(ByteBuffer.allocate(8).putLong(0, Long.MAX_VALUE), ring.position(2));    // sequence
            assertThat(reader(channel).all()).isEmpty();
        }
    }

    @Test
    void wrongHeadersAreRefusedAndNamed() throws Exception {
        var ring = TestRing.create(work, 4, 2, 7);
        byte[] good = Files.readAllBytes(ring.file());
        assertRefused(patch(good, 0, 'X'), "wrong magic");
        assertRefused(patch(good, 20, 1), "header CRC mismatch");
        assertRefused(Files.readAllBytes(Path.of(ring.file().toString())), null);
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertRefused(longer, "declares " + good.length + " bytes but has " + longer.length);
        assertRefused(new byte[10], "shorter than a header");
        assertRefused("garbage, not a ring at all; garbage, not a ring at all; garbage!!".getBytes(), "wrong magic");
        assertRefused(headerWith(4, 2, 4096 + 1), "slot count 4097 out of bounds");
        assertRefused(headerWith(4, 2 + 200, 4), "slot size 1632 out of bounds");
        // A header that declares more than the bound is refused before any slot is read.
        assertThatThrownBy(() -> {
            Path file = work.resolve("big");
            Files.write(file, headerWith(4096, 128, 4096));
            try (var channel = FileChannel.open(file)) {
                RingReader.open(channel, 64 + 4096L * (16 + 128 * 8), MAX);
            }
        }).isInstanceOf(MetricsFileException.class).hasMessageContaining("more than " + MAX);
    }

    private void assertRefused(byte[] bytes, String message) throws Exception {
        Path file = work.resolve("ring-" + System.nanoTime());
        Files.write(file, bytes);
        try (var channel = FileChannel.open(file)) {
            if (message == null) {
                assertThat(reader(channel).all()).isEmpty();
            } else {
                assertThatThrownBy(() -> reader(channel)).isInstanceOf(MetricsFileException.class)
                        .hasMessageContaining(message);
            }
        }
    }

    private static byte[] patch(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        copy[at] = (byte) value;
        return copy;
    }

    // A header with a correct CRC, declaring what the test wants.
    private static byte[] headerWith(int slots, int columns, int declaredSlots) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(64);
        header.putInt(MetricsFileFormat.MAGIC).putShort((short) 1).putShort((short) 64)
                .putInt(TestRing.slotSize(columns)).putInt(declaredSlots).putLong(1).putLong(0).putInt(columns);
        var crc = new java.util.zip.CRC32C();
        crc.update(header.array(), 0, 36);
        header.putInt((int) crc.getValue());
        return header.array();
    }
}
