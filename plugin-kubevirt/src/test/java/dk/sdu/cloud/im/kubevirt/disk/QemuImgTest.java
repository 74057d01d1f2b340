package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The qemu-img wrapper against the real program. */
class QemuImgTest {
    @TempDir
    Path folder;
    private final QemuImg qemuImg = QemuImg.onPath();

    @BeforeEach
    void needsQemuImg() {
        TestImages.requireQemuImg();
    }

    @Test
    void qemuImgIsInstalled() throws Exception {
        // Not skipped when missing: CI installs qemu-utils, and without it nothing here is proven.
        assertThat(qemuImg.version()).startsWith("qemu-img version ");
    }

    @Test
    void aMissingProgramIsReportedWithThePackageToInstall() {
        QemuImg missing = new QemuImg(folder.resolve("no-such-qemu-img").toString(), QemuImg.Timeouts.defaults());

        assertThatThrownBy(missing::version)
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("qemu-img is not usable")
                .hasMessageContaining("no-such-qemu-img")
                .hasMessageContaining("install the Debian/Ubuntu package qemu-utils");
    }

    @Test
    void infoReadsFormatAndVirtualSize() throws Exception {
        Path image = TestImages.emptyQcow2(folder, "x.qcow2", "64M");

        ImageInfo info = qemuImg.info(image);

        assertThat(info).isEqualTo(new ImageInfo("qcow2", 64 * TestImages.MIB, List.of()));
    }

    @Test
    void infoOfAFileQemuImgCannotOpenFailsWithItsMessage() {
        Path missing = folder.resolve("absent.qcow2");

        assertThatThrownBy(() -> qemuImg.info(missing))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("qemu-img info --output=json " + missing)
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void convertIntoAPresizedRawFileReportsRisingPercentsAndKeepsItsSizeAndHoles() throws Exception {
        byte[] content = TestImages.pattern((int) (2 * TestImages.MIB), 3);
        Path image = TestImages.qcow2(folder, "src.qcow2", content);
        Path raw = TestImages.sparseFile(folder, "out.raw", TestImages.GIB);
        List<Integer> percents = new CopyOnWriteArrayList<>();

        qemuImg.convertIntoRaw(image, "qcow2", raw, QemuImg.TargetCache.DIRECT, percents::add);

        assertThat(percents).isNotEmpty().isSorted().doesNotHaveDuplicates().endsWith(100);
        assertThat(qemuImg.info(raw)).isEqualTo(new ImageInfo("raw", TestImages.GIB, List.of()));
        assertThat(TestImages.read(raw, 0, content.length)).isEqualTo(content);
        assertThat(TestImages.read(raw, content.length, 65536)).containsOnly(0);
        assertThat(Files.size(raw)).isEqualTo(TestImages.GIB);
        assertThat(TestImages.allocatedBytes(raw)).as("the rest of the disk stays a hole")
                .isLessThan(16 * TestImages.MIB);
    }

    @Test
    void theCachedConvertMakesTheSameDisk() throws Exception {
        byte[] content = TestImages.pattern((int) TestImages.MIB, 5);
        Path image = TestImages.qcow2(folder, "src.qcow2", content);
        Path raw = TestImages.sparseFile(folder, "out.raw", 64 * TestImages.MIB);

        qemuImg.convertIntoRaw(image, "qcow2", raw, QemuImg.TargetCache.CACHED, percent -> { });

        assertThat(TestImages.read(raw, 0, content.length)).isEqualTo(content);
        assertThat(Files.size(raw)).isEqualTo(64 * TestImages.MIB);
    }

    @Test
    void aTargetSmallerThanTheImageIsRefusedAndNotGrown() throws Exception {
        Path image = TestImages.emptyQcow2(folder, "big.qcow2", "2M");
        Path raw = TestImages.sparseFile(folder, "small.raw", TestImages.MIB);

        assertThatThrownBy(() -> qemuImg.convertIntoRaw(image, "qcow2", raw, QemuImg.TargetCache.DIRECT, p -> { }))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("smaller");
        assertThat(Files.size(raw)).isEqualTo(TestImages.MIB);
    }

    @Test
    void theConvertsArgumentsAreTheseForEachCacheMode() throws Exception {
        Path calls = folder.resolve("calls");
        QemuImg fake = new QemuImg(TestImages.fakeQemuImg(folder, calls, "exit 0").toString(),
                QemuImg.Timeouts.defaults());

        fake.convertIntoRaw(Path.of("/src/image"), "vmdk", Path.of("/job/disk"), QemuImg.TargetCache.DIRECT, p -> { });
        fake.convertIntoRaw(Path.of("/src/image"), "vmdk", Path.of("/job/disk"), QemuImg.TargetCache.CACHED, p -> { });

        assertThat(Files.readAllLines(calls)).containsExactly(
                "convert -p -n --target-is-zero -t none -f vmdk -O raw /src/image /job/disk",
                "convert -p -n --target-is-zero -f vmdk -O raw /src/image /job/disk");
    }

    @Test
    void aRefusalOfDirectIoIsToldApartFromOtherFailures() {
        List<String> command = List.of("qemu-img", "convert");

        assertThat(QemuImg.refusedDirectIo(new CommandFailedException(command, "'qemu-img convert' exited with "
                + "status 1: qemu-img: Could not open '/j/d': filesystem does not support O_DIRECT", null))).isTrue();
        assertThat(QemuImg.refusedDirectIo(new CommandFailedException(command, "'qemu-img convert' exited with "
                + "status 1: qemu-img: Could not open '/j/d': Invalid argument", null))).isTrue();
        assertThat(QemuImg.refusedDirectIo(new CommandFailedException(command, "'qemu-img convert' exited with "
                + "status 1: qemu-img: output file is smaller than input file", null))).isFalse();
        assertThat(QemuImg.refusedDirectIo(new CommandFailedException(command, "'qemu-img convert' exited with "
                + "status 1: qemu-img: Could not open '/g': Permission denied", null))).isFalse();
    }

    @Test
    void theSourceFormatIsGivenSoARawImageIsNeverReadAsSomethingElse() throws Exception {
        // A raw disk whose first sector happens to be a qcow2 header must still be copied byte for byte.
        byte[] qcow2Header = Files.readAllBytes(TestImages.emptyQcow2(folder, "h.qcow2", "1M"));
        byte[] content = java.util.Arrays.copyOf(qcow2Header, (int) TestImages.MIB);
        Path raw = Files.write(folder.resolve("looks-like-qcow2.raw"), content);
        Path out = TestImages.sparseFile(folder, "out.raw", content.length);

        qemuImg.convertIntoRaw(raw, "raw", out, QemuImg.TargetCache.DIRECT, percent -> { });

        assertThat(Files.readAllBytes(out)).isEqualTo(content);
    }
}
