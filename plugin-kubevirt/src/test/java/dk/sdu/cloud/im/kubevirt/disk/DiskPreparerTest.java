package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.CONVERTING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.DONE;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.DOWNLOADING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.RESIZING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.VERIFYING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.IMAGE_PATH;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.await;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole preparation with the real qemu-img: the happy path, its progress, and idempotence. */
class DiskPreparerTest {
    @TempDir
    Path root;
    DiskTestbed bed;

    @BeforeEach
    void setUp() throws Exception {
        bed = new DiskTestbed(root);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void downloadsVerifiesConvertsAndResizesIntoARawDiskWithTheImagesContent() throws Exception {
        RecordingListener listener = new RecordingListener();
        DiskPreparationRequest request = bed.request("4242");

        PreparedDisk prepared = await(bed.preparer().prepare(request, listener));

        Path disk = bed.jobFolder("4242").resolve("disk.img");
        assertThat(prepared).isEqualTo(new PreparedDisk("4242", disk, false));
        ImageInfo info = QemuImg.onPath().info(disk);
        assertThat(info.format()).isEqualTo("raw");
        assertThat(info.virtualSize()).isEqualTo(TestImages.GIB);
        assertThat(TestImages.read(disk, 0, DiskTestbed.IMAGE_BYTES)).isEqualTo(bed.content);
        assertThat(TestImages.read(disk, DiskTestbed.IMAGE_BYTES, 65536)).containsOnly(0);
        assertThat(Files.getPosixFilePermissions(disk)).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(bed.cachedImages()).hasSize(1);
        assertThat(bed.unfinishedDownloads()).isEmpty();
        assertThat(TestImages.names(bed.jobFolder("4242"))).containsExactly("disk.img");
    }

    @Test
    void theDiskBelongsToQemu107WhenTheImMayChownAndKeepsItsOwnerOtherwise() throws Exception {
        Path probe = Files.createFile(root.resolve("probe"));
        boolean asRoot = ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;

        await(bed.preparer().prepare(bed.request("1"), DiskPreparationListener.none()));

        Path disk = bed.jobFolder("1").resolve("disk.img");
        int expected = asRoot ? 107 : (Integer) Files.getAttribute(probe, "unix:uid");
        assertThat(Files.getAttribute(disk, "unix:uid")).as("owner (as root: %s)", asRoot).isEqualTo(expected);
        assertThat(Files.getAttribute(disk, "unix:gid")).as("group (as root: %s)", asRoot)
                .isEqualTo(asRoot ? 107 : Files.getAttribute(probe, "unix:gid"));
    }

    @Test
    void progressGoesThroughThePhasesInOrderWithRisingWholePercents() throws Exception {
        RecordingListener listener = new RecordingListener();

        await(bed.preparer().prepare(bed.request("4242"), listener));

        assertThat(listener.phases()).containsExactly(DOWNLOADING, VERIFYING, CONVERTING, RESIZING, DONE);
        List<Integer> downloaded = listener.of(DOWNLOADING).stream().map(DiskPreparationEvent::percent).toList();
        assertThat(downloaded).first().isEqualTo(-1);
        assertThat(downloaded).isSorted().doesNotHaveDuplicates().endsWith(100);
        assertThat(listener.of(DOWNLOADING)).last().satisfies(e -> {
            assertThat(e.bytesDone()).isEqualTo(bed.imageBytes.length);
            assertThat(e.bytesTotal()).isEqualTo(bed.imageBytes.length);
            assertThat(e.message()).matches("Downloading disk image: 100% \\(([1-9]\\d*) of \\1 (KiB|MiB)\\)");
        });
        List<Integer> converted = listener.of(CONVERTING).stream().map(DiskPreparationEvent::percent).toList();
        assertThat(converted).startsWith(0).endsWith(100).isSorted().doesNotHaveDuplicates();
        assertThat(listener.of(RESIZING)).singleElement()
                .extracting(DiskPreparationEvent::message).isEqualTo("Resizing disk to 1 GiB");
        assertThat(listener.last()).isEqualTo(new DiskPreparationEvent("4242", DONE, 100, 0, -1, "Disk ready (1 GiB)"));
        assertThat(listener.events()).allSatisfy(e -> assertThat(e.jobId()).isEqualTo("4242"));
    }

    @Test
    void downloadProgressIsThrottledToWholePercentChanges() throws Exception {
        byte[] big = TestImages.qcow2Bytes(root, "big.qcow2", TestImages.pattern((int) (12 * TestImages.MIB), 7));
        bed.server.serve("/big.qcow2", big);
        RecordingListener listener = new RecordingListener();

        await(bed.preparer().prepare(bed.request("9", bed.server.url("/big.qcow2"), null, 1), listener));

        // The body arrives in far more reads (the client hands out 16 KiB buffers) than there are percents.
        List<DiskPreparationEvent> downloading = listener.of(DOWNLOADING);
        assertThat(downloading.size()).isLessThanOrEqualTo(102);
        assertThat(downloading.stream().map(DiskPreparationEvent::percent).toList())
                .isSorted().doesNotHaveDuplicates().endsWith(100);
    }

    @Test
    void aServerWithoutContentLengthGivesProgressInBytesWithUnknownPercent() throws Exception {
        bed.server.withoutLength(IMAGE_PATH);
        RecordingListener listener = new RecordingListener();

        await(bed.preparer().prepare(bed.request("7"), listener));

        assertThat(listener.of(DOWNLOADING)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.percent()).isEqualTo(-1);
            assertThat(e.bytesTotal()).isEqualTo(-1);
        });
        assertThat(listener.of(DOWNLOADING)).last().extracting(DiskPreparationEvent::bytesDone)
                .isEqualTo((long) bed.imageBytes.length);
        assertThat(listener.last().phase()).isEqualTo(DONE);
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        bed.server.redirect("/latest.qcow2", IMAGE_PATH);

        await(bed.preparer().prepare(bed.request("8", bed.server.url("/latest.qcow2"), bed.imageSha256, 1),
                DiskPreparationListener.none()));

        assertThat(bed.server.requests("/latest.qcow2")).isEqualTo(1);
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(bed.jobFolder("8").resolve("disk.img")).exists();
    }

    @Test
    void anExistingDiskIsLeftExactlyAsItIsAndNothingIsDownloaded() throws Exception {
        Path folder = Files.createDirectories(bed.jobFolder("5"));
        Path disk = Files.writeString(folder.resolve("disk.img"), "the user's installed system");
        FileTime old = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
        Files.setLastModifiedTime(disk, old);
        RecordingListener listener = new RecordingListener();

        PreparedDisk prepared = await(bed.preparer().prepare(bed.request("5"), listener));

        assertThat(prepared).isEqualTo(new PreparedDisk("5", disk, true));
        assertThat(Files.readString(disk)).isEqualTo("the user's installed system");
        assertThat(Files.getLastModifiedTime(disk)).isEqualTo(old);
        assertThat(bed.server.requests(IMAGE_PATH)).isZero();
        assertThat(listener.events()).singleElement().satisfies(e -> {
            assertThat(e.phase()).isEqualTo(DONE);
            assertThat(e.message()).isEqualTo("Disk ready (the existing disk is kept)");
        });
    }

    @Test
    void preparingTheSameJobAgainAfterItIsDoneChangesNothing() throws Exception {
        DiskPreparer preparer = bed.preparer();
        await(preparer.prepare(bed.request("6"), DiskPreparationListener.none()));
        Path disk = bed.jobFolder("6").resolve("disk.img");
        FileTime made = Files.getLastModifiedTime(disk);
        Object inode = Files.getAttribute(disk, "unix:ino");

        PreparedDisk again = await(preparer.prepare(bed.request("6"), DiskPreparationListener.none()));

        assertThat(again.alreadyThere()).isTrue();
        assertThat(Files.getLastModifiedTime(disk)).isEqualTo(made);
        assertThat(Files.getAttribute(disk, "unix:ino")).isEqualTo(inode);
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
    }

    @Test
    void anUnfinishedDiskLeftByACrashIsRemovedAndTheDiskIsMade() throws Exception {
        Path folder = Files.createDirectories(bed.jobFolder("11"));
        Path leftover = Files.write(folder.resolve(".disk.img.1234567.partial"), new byte[]{1, 2, 3});

        await(bed.preparer().prepare(bed.request("11"), DiskPreparationListener.none()));

        assertThat(leftover).doesNotExist();
        assertThat(TestImages.names(folder)).containsExactly("disk.img");
        assertThat(TestImages.read(folder.resolve("disk.img"), 0, 4096))
                .isEqualTo(java.util.Arrays.copyOf(bed.content, 4096));
    }

    @Test
    void aDiskImgThatIsASymbolicLinkIsRefusedAndLeftAlone() throws Exception {
        Path folder = Files.createDirectories(bed.jobFolder("12"));
        Path target = Files.writeString(root.resolve("elsewhere"), "not yours");
        Path link = Files.createSymbolicLink(folder.resolve("disk.img"), target);

        String reason = failureOf(bed.preparer().prepare(bed.request("12"), DiskPreparationListener.none()));

        assertThat(reason).contains(link.toString()).contains("not a regular file");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("not yours");
        assertThat(bed.server.requests(IMAGE_PATH)).isZero();
    }

    @Test
    void aJobFolderThatIsASymbolicLinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Path folder = bed.jobFolder("13");
        Files.createDirectories(folder.getParent());
        Files.createSymbolicLink(folder, elsewhere);

        String reason = failureOf(bed.preparer().prepare(bed.request("13"), DiskPreparationListener.none()));

        assertThat(reason).contains("not a folder (or is a symbolic link)");
        assertThat(TestImages.names(elsewhere)).isEmpty();
    }

    @Test
    void aSecondRequestForARunningJobJoinsItInsteadOfDoingTheWorkTwice() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer();
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();

        CompletableFuture<PreparedDisk> a = preparer.prepare(bed.request("20"), first);
        await().until(() -> bed.server.waiting(IMAGE_PATH) == 1);
        CompletableFuture<PreparedDisk> b = preparer.prepare(bed.request("20"), second);
        assertThat(preparer.isRunning("20")).isTrue();
        gate.countDown();

        assertThat(await(a)).isEqualTo(await(b));
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(first.phases()).containsExactly(DOWNLOADING, VERIFYING, CONVERTING, RESIZING, DONE);
        assertThat(second.phases()).as("the joiner first gets where the preparation is")
                .containsExactly(DOWNLOADING, VERIFYING, CONVERTING, RESIZING, DONE);
        await().until(() -> !preparer.isRunning("20"));
    }

    @Test
    void aRequestForARunningJobWithOtherParametersIsRefusedAndTheRunningOneGoesOn() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer();
        CompletableFuture<PreparedDisk> running = preparer.prepare(bed.request("21"), DiskPreparationListener.none());
        await().until(() -> bed.server.waiting(IMAGE_PATH) == 1);
        RecordingListener other = new RecordingListener();

        String reason = failureOf(preparer.prepare(
                bed.request("21", bed.server.url(IMAGE_PATH), bed.imageSha256, 2), other));
        gate.countDown();

        assertThat(reason).contains("job 21").contains("other parameters");
        assertThat(other.last().phase()).isEqualTo(DiskPreparationPhase.FAILED);
        assertThat(await(running).disk()).exists();
        assertThat(QemuImg.onPath().info(bed.jobFolder("21").resolve("disk.img")).virtualSize())
                .isEqualTo(TestImages.GIB);
    }

    @Test
    void aListenerThatThrowsDoesNotStopThePreparation() throws Exception {
        DiskPreparationListener broken = event -> {
            throw new IllegalStateException("listener bug");
        };

        PreparedDisk prepared = await(bed.preparer().prepare(bed.request("30"), broken));

        assertThat(prepared.disk()).exists();
        assertThat(Files.isRegularFile(prepared.disk(), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void diskPathIsDiskImgInTheJobFolder() {
        assertThat(DiskPreparer.diskPath(Path.of("/mnt/ucloud/home/a/Jobs/VirtualMachines/1")))
                .isEqualTo(Path.of("/mnt/ucloud/home/a/Jobs/VirtualMachines/1/disk.img"));
        assertThat(bed.request("1").diskPath()).isEqualTo(bed.jobFolder("1").resolve("disk.img"));
    }
}
