package dk.sdu.cloud.im.kubevirt.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the guest controls is read only as regular files, within the bounds, never through a link. */
class MetricsFolderTest {
    private static final long MAX_RING = MetricsFeedSettings.DEFAULTS.maxRingBytes();
    private static final int MAX_SUMMARY = MetricsFeedSettings.DEFAULTS.maxSummaryBytes();

    @TempDir
    Path work;

    @TempDir
    Path host;

    @Test
    void noFolderYetIsNothingToRead() throws Exception {
        assertThat(MetricsFolder.open(work)).isEmpty();
        assertThat(MetricsFolder.open(work.resolve("not-there"))).isEmpty();
        Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        try (var folder = MetricsFolder.open(work).orElseThrow()) {
            assertThat(folder.openRing(MAX_RING)).isEmpty();
            assertThat(folder.summaryStamp(MAX_SUMMARY)).isEmpty();
            assertThat(folder.readSummary(MAX_SUMMARY)).isEmpty();
        }
    }

    @Test
    void aLinkedFolderIsRefused() throws Exception {
        TestRing.create(host, 4, 2, 1).append(1);
        Files.createSymbolicLink(work.resolve(MetricsFileFormat.FOLDER), host.resolve(MetricsFileFormat.FOLDER));
        assertThatThrownBy(() -> MetricsFolder.open(work)).isInstanceOf(MetricsFileException.class)
                .hasMessageContaining("not a folder");
    }

    @Test
    void linkedFilesAreRefused() throws Exception {
        Files.writeString(host.resolve("secret"), "Secret:host file\n");
        TestRing.create(host, 4, 2, 1).append(1);
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Files.createSymbolicLink(folder.resolve(MetricsFileFormat.SUMMARY_FILE), host.resolve("secret"));
        Files.createSymbolicLink(folder.resolve(MetricsFileFormat.RING_FILE),
                host.resolve(MetricsFileFormat.FOLDER).resolve(MetricsFileFormat.RING_FILE));
        try (var opened = MetricsFolder.open(work).orElseThrow()) {
            assertThatThrownBy(() -> opened.readSummary(MAX_SUMMARY)).isInstanceOf(MetricsFileException.class)
                    .hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> opened.openRing(MAX_RING)).isInstanceOf(MetricsFileException.class)
                    .hasMessageContaining("not a regular file");
        }
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Process mkfifo = new ProcessBuilder("mkfifo", folder.resolve(MetricsFileFormat.RING_FILE).toString(),
                folder.resolve(MetricsFileFormat.SUMMARY_FILE).toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        try (var opened = MetricsFolder.open(work).orElseThrow()) {
            // Opening a FIFO for reading would block until a writer came; the check refuses it first.
            assertThatThrownBy(() -> opened.openRing(MAX_RING)).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> opened.summaryStamp(MAX_SUMMARY)).hasMessageContaining("not a regular file");
        }
    }

    @Test
    void oversizedFilesAreRefusedUnread() throws Exception {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        try (var big = java.nio.channels.FileChannel.open(folder.resolve(MetricsFileFormat.RING_FILE),
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            // Sparse: 1 GiB that costs nothing on disk; reading it would.
            big.write(java.nio.ByteBuffer.allocate(1), (1L << 30) - 1);
        }
        Files.writeString(folder.resolve(MetricsFileFormat.SUMMARY_FILE), "Key:" + "x".repeat(MAX_SUMMARY));
        try (var opened = MetricsFolder.open(work).orElseThrow()) {
            assertThatThrownBy(() -> opened.openRing(MAX_RING)).hasMessageContaining("over the bound of " + MAX_RING);
            assertThatThrownBy(() -> opened.readSummary(MAX_SUMMARY)).hasMessageContaining("over the bound");
        }
    }

    @Test
    void aSummaryWithinTheBoundIsReadWhole() throws Exception {
        Path folder = Files.createDirectories(work.resolve(MetricsFileFormat.FOLDER));
        Files.writeString(folder.resolve(MetricsFileFormat.SUMMARY_FILE), "OperatingSystem:Debian\n");
        try (var opened = MetricsFolder.open(work).orElseThrow()) {
            assertThat(new String(opened.readSummary(MAX_SUMMARY).orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo("OperatingSystem:Debian\n");
            assertThat(opened.summaryStamp(MAX_SUMMARY)).isPresent();
        }
    }
}
