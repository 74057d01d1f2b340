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
    void convertReportsRisingPercentsAndResizeGrowsTheRawDisk() throws Exception {
        byte[] content = TestImages.pattern((int) (2 * TestImages.MIB), 3);
        Path image = TestImages.qcow2(folder, "src.qcow2", content);
        Path raw = folder.resolve("out.raw");
        List<Integer> percents = new CopyOnWriteArrayList<>();

        qemuImg.convertToRaw(image, "qcow2", raw, percents::add);
        qemuImg.resizeRaw(raw, 1);

        assertThat(percents).isNotEmpty().isSorted().doesNotHaveDuplicates().endsWith(100);
        assertThat(qemuImg.info(raw)).isEqualTo(new ImageInfo("raw", TestImages.GIB, List.of()));
        assertThat(TestImages.read(raw, 0, content.length)).isEqualTo(content);
        assertThat(Files.size(raw)).isEqualTo(TestImages.GIB);
    }

    @Test
    void resizeRefusesToShrink() throws Exception {
        Path raw = folder.resolve("big.raw");
        TestImages.run("qemu-img", "create", "-f", "raw", raw.toString(), "2G");

        assertThatThrownBy(() -> qemuImg.resizeRaw(raw, 1))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("qemu-img resize -f raw " + raw + " 1G")
                .hasMessageContaining("--shrink");
        assertThat(Files.size(raw)).isEqualTo(2 * TestImages.GIB);
    }

    @Test
    void theSourceFormatIsGivenSoARawImageIsNeverReadAsSomethingElse() throws Exception {
        // A raw disk whose first sector happens to be a qcow2 header must still be copied byte for byte.
        byte[] qcow2Header = Files.readAllBytes(TestImages.emptyQcow2(folder, "h.qcow2", "1M"));
        byte[] content = java.util.Arrays.copyOf(qcow2Header, (int) TestImages.MIB);
        Path raw = Files.write(folder.resolve("looks-like-qcow2.raw"), content);
        Path out = folder.resolve("out.raw");

        qemuImg.convertToRaw(raw, "raw", out, percent -> { });

        assertThat(Files.readAllBytes(out)).isEqualTo(content);
    }
}
