package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DiskPreparationEventTest {
    private static String downloading(long bytes, long total) {
        return DiskPreparationEvent.of("1", ImageProgress.downloading(bytes, total)).message();
    }

    @Test
    void aDownloadOfKnownLengthIsToldInMiB() {
        assertThat(downloading(120L << 20, 267L << 20)).isEqualTo("Downloading disk image: 44% (120 of 267 MiB)");
    }

    @Test
    void anImageSmallerThanOneMiBIsToldInKiBNotAsZeroMiB() {
        assertThat(downloading(200 << 10, 400 << 10)).isEqualTo("Downloading disk image: 50% (200 of 400 KiB)");
    }

    @Test
    void aDownloadOfUnknownLengthTellsWhatArrived() {
        assertThat(downloading(0, -1)).isEqualTo("Downloading disk image");
        assertThat(downloading(512 << 10, -1)).isEqualTo("Downloading disk image: 512 KiB");
        assertThat(downloading(3L << 20, -1)).isEqualTo("Downloading disk image: 3 MiB");
    }
}
