package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading qemu-img's JSON, and which images are accepted as golden images. */
class ImageInfoTest {

    @Test
    void aSelfContainedQcow2HasNoForeignFiles() {
        ImageInfo info = ImageInfo.parse("""
                {"virtual-size": 67108864, "filename": "/c/x", "cluster-size": 65536, "format": "qcow2",
                 "format-specific": {"type": "qcow2", "data": {"compat": "1.1", "corrupt": false}},
                 "dirty-flag": false}""");

        assertThat(info).isEqualTo(new ImageInfo("qcow2", 67108864, List.of()));
    }

    @Test
    void backingFilesDataFilesAndVmdkExtentsAreForeignFiles() {
        ImageInfo backed = ImageInfo.parse("""
                {"virtual-size": 1048576, "filename": "/c/x", "format": "qcow2",
                 "backing-filename": "/etc/shadow", "full-backing-filename": "/etc/shadow",
                 "format-specific": {"type": "qcow2", "data": {"data-file": "/root/secret"}}}""");
        ImageInfo descriptor = ImageInfo.parse("""
                {"virtual-size": 1048576, "filename": "/c/x", "format": "vmdk",
                 "format-specific": {"type": "vmdk", "data": {"extents": [
                   {"virtual-size": 1048576, "filename": "/c/x", "format": "SPARSE"},
                   {"virtual-size": 1048576, "filename": "/dev/sda", "format": "FLAT"}]}}}""");

        assertThat(backed.foreignFiles()).containsExactly("/etc/shadow", "/root/secret");
        assertThat(descriptor.foreignFiles()).containsExactly("/dev/sda");
    }

    @Test
    void somethingElseThanQemuImgsJsonIsRejected() {
        assertThatThrownBy(() -> ImageInfo.parse("qemu-img: oops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ImageInfo.parse("{\"filename\": \"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without format and virtual-size");
    }

    @Test
    void acceptedImages() {
        assertThat(GoldenImageCache.problemWith(new ImageInfo("qcow2", 1L << 30, List.of()), 200_000)).isNull();
        assertThat(GoldenImageCache.problemWith(new ImageInfo("raw", 1L << 20, List.of()), 1L << 20)).isNull();
        assertThat(GoldenImageCache.problemWith(new ImageInfo("vmdk", 1L << 30, List.of()), 4096)).isNull();
    }

    @Test
    void eachRejectionRuleSaysWhy() {
        assertThat(GoldenImageCache.problemWith(new ImageInfo("dmg", 1L << 30, List.of()), 4096))
                .isEqualTo("its format is dmg, accepted are qcow2, raw, vdi, vhdx, vmdk, vpc");
        assertThat(GoldenImageCache.problemWith(new ImageInfo("qcow2", 1L << 30, List.of("/etc/shadow")), 4096))
                .isEqualTo("it refers to other files [/etc/shadow]; only self-contained images are accepted");
        assertThat(GoldenImageCache.problemWith(new ImageInfo("raw", 1L << 20, List.of()), (1L << 20) - 3))
                .contains("not a whole number of 512-byte sectors");
        assertThat(GoldenImageCache.problemWith(new ImageInfo("raw", 4096, List.of()), 4096))
                .isEqualTo("its virtual size of 4096 bytes is too small for a disk");
    }
}
