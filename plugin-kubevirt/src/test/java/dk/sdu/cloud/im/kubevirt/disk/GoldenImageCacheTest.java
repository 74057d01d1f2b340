package dk.sdu.cloud.im.kubevirt.disk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.CONVERTING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.DONE;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.DOWNLOADING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.RESIZING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.APP;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.IMAGE_PATH;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The golden image cache: one download per image, across jobs, restarts, threads and processes. */
class GoldenImageCacheTest {
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
    void aSecondJobOfTheSameApplicationUsesTheCachedImage() throws Exception {
        DiskPreparer preparer = bed.preparer();
        await(preparer.prepare(bed.request("1"), DiskPreparationListener.none()));
        RecordingListener second = new RecordingListener();

        await(preparer.prepare(bed.request("2"), second));

        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(second.phases()).containsExactly(CONVERTING, RESIZING, DONE);
        assertThat(TestImages.read(bed.jobFolder("2").resolve("disk.img"), 0, DiskTestbed.IMAGE_BYTES))
                .isEqualTo(bed.content);
    }

    @Test
    void theCacheSurvivesARestart() throws Exception {
        DiskPreparer before = bed.preparer();
        await(before.prepare(bed.request("1"), DiskPreparationListener.none()));
        before.close();

        DiskPreparer after = bed.preparer();
        await(after.prepare(bed.request("2"), DiskPreparationListener.none()));

        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(bed.jobFolder("2").resolve("disk.img")).exists();
    }

    @Test
    void concurrentJobsOfTheSameApplicationDownloadOnce() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer(bed.settings().withWorkers(4), DiskOwnership.qemu(), Clock.systemUTC());
        List<RecordingListener> listeners = new ArrayList<>();
        List<CompletableFuture<PreparedDisk>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RecordingListener listener = new RecordingListener();
            listeners.add(listener);
            futures.add(preparer.prepare(bed.request("job-" + i), listener));
        }

        // Every job is waiting for the one download before the server sends a byte.
        await().until(() -> listeners.stream().allMatch(l -> l.saw(DOWNLOADING))
                && bed.server.waiting(IMAGE_PATH) == 1);
        gate.countDown();

        for (int i = 0; i < 4; i++) {
            assertThat(await(futures.get(i)).disk()).exists();
            assertThat(TestImages.read(bed.jobFolder("job-" + i).resolve("disk.img"), 0, DiskTestbed.IMAGE_BYTES))
                    .isEqualTo(bed.content);
            assertThat(listeners.get(i).last().phase()).isEqualTo(DONE);
        }
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(bed.cachedImages()).hasSize(1);
    }

    @Test
    void cancellingTheJobThatStartedASharedDownloadLeavesTheDownloadToTheOthers() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer();
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        CompletableFuture<PreparedDisk> a = preparer.prepare(bed.request("a"), first);
        await().until(() -> first.saw(DOWNLOADING) && bed.server.waiting(IMAGE_PATH) == 1);
        CompletableFuture<PreparedDisk> b = preparer.prepare(bed.request("b"), second);
        await().until(() -> second.saw(DOWNLOADING));

        assertThat(preparer.cancel("a")).isTrue();

        assertThat(DiskTestbed.failureOf(a)).startsWith("cancelled");
        assertThat(b).as("the other job still waits for the download").isNotDone();
        gate.countDown();
        assertThat(await(b).disk()).exists();
        assertThat(second.last().phase()).isEqualTo(DONE);
        assertThat(first.last().phase()).as("the cancelled job hears nothing after its failure")
                .isEqualTo(DiskPreparationPhase.FAILED);
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(bed.cachedImages()).hasSize(1);
        assertThat(bed.jobFolder("a").resolve("disk.img")).doesNotExist();
    }

    @Test
    void cancellingEveryJobThatWaitsStopsTheSharedDownloadAndTheNextJobDownloadsAgain() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer();
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        CompletableFuture<PreparedDisk> a = preparer.prepare(bed.request("a"), first);
        await().until(() -> first.saw(DOWNLOADING) && bed.server.waiting(IMAGE_PATH) == 1);
        CompletableFuture<PreparedDisk> b = preparer.prepare(bed.request("b"), second);
        await().until(() -> second.saw(DOWNLOADING));

        preparer.cancel("b");
        assertThat(DiskTestbed.failureOf(b)).startsWith("cancelled");
        preparer.cancel("a");
        assertThat(DiskTestbed.failureOf(a)).startsWith("cancelled");

        // The last job to leave waits until the download has stopped and removed its file.
        assertThat(bed.unfinishedDownloads()).isEmpty();
        gate.countDown();
        assertThat(await(preparer.prepare(bed.request("c"), DiskPreparationListener.none())).disk()).exists();
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(2);
    }

    @Test
    void closingFailsEveryJobWaitingForASharedDownloadWithAClearReason() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer();
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        CompletableFuture<PreparedDisk> a = preparer.prepare(bed.request("a"), first);
        await().until(() -> first.saw(DOWNLOADING) && bed.server.waiting(IMAGE_PATH) == 1);
        CompletableFuture<PreparedDisk> b = preparer.prepare(bed.request("b"), second);
        await().until(() -> second.saw(DOWNLOADING));

        preparer.close();

        assertThat(DiskTestbed.failureOf(a)).startsWith("cancelled");
        assertThat(DiskTestbed.failureOf(b)).startsWith("cancelled");
        gate.countDown();
        assertThat(bed.unfinishedDownloads()).isEmpty();
        assertThat(bed.cachedImages()).isEmpty();
    }

    @Test
    void twoImProcessesRacingForTheSameImageLeaveOneCompleteImage() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer first = bed.preparer();
        DiskPreparer second = bed.preparer();

        CompletableFuture<PreparedDisk> a = first.prepare(bed.request("a"), DiskPreparationListener.none());
        CompletableFuture<PreparedDisk> b = second.prepare(bed.request("b"), DiskPreparationListener.none());
        await().until(() -> bed.server.waiting(IMAGE_PATH) == 2);
        gate.countDown();

        assertThat(await(a).disk()).exists();
        assertThat(await(b).disk()).exists();
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(2);
        assertThat(bed.cachedImages()).hasSize(1);
        assertThat(bed.unfinishedDownloads()).isEmpty();
        assertThat(Files.readAllBytes(bed.cacheFolder.resolve(bed.cachedImages().get(0)))).isEqualTo(bed.imageBytes);
    }

    @Test
    void anotherVersionOfTheApplicationIsAnotherImage() throws Exception {
        DiskPreparer preparer = bed.preparer();
        await(preparer.prepare(bed.request("1"), DiskPreparationListener.none()));

        await(preparer.prepare(new DiskPreparationRequest("2", new GoldenImageKey("ubuntu-vm", "24.10"),
                bed.server.url(IMAGE_PATH), bed.imageSha256, bed.jobFolder("2"), 1), DiskPreparationListener.none()));

        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(2);
        assertThat(bed.cachedImages()).hasSize(2);
    }

    @Test
    void theCacheFolderIsCreatedPrivate() throws Exception {
        bed.preparer();

        assertThat(bed.cacheFolder).isDirectory();
        assertThat(Files.getPosixFilePermissions(bed.cacheFolder))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void staleUnfinishedDownloadsAreDeletedAtStartAndRecentOnesAreLeftToTheirWriter() throws Exception {
        Files.createDirectories(bed.cacheFolder);
        Instant now = Instant.parse("2030-05-06T07:08:09Z");
        Path stale = Files.write(bed.cacheFolder.resolve(".ubuntu-vm-24-04-0123456789abcdef.111.download"),
                new byte[]{1});
        Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofHours(2))));
        Path recent = Files.write(bed.cacheFolder.resolve(".ubuntu-vm-24-04-0123456789abcdef.222.download"),
                new byte[]{2});
        Files.setLastModifiedTime(recent, FileTime.from(now.minus(Duration.ofMinutes(10))));
        Path image = Files.write(bed.cacheFolder.resolve("other-app-1-0123456789abcdef"), new byte[]{3});
        Files.setLastModifiedTime(image, FileTime.from(now.minus(Duration.ofDays(300))));

        bed.preparer(bed.settings(), DiskOwnership.qemu(), Clock.fixed(now, ZoneOffset.UTC));

        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
        assertThat(image).as("complete images are the cache and are kept").exists();
    }

    @Test
    void fileNamesStayInTheFolderAndNeverCollide() {
        URI url = URI.create("https://images.example/x.qcow2");
        String hostile = GoldenImageCache.fileName(new GoldenImageKey("../../etc/passwd", "/.."), url, null);
        assertThat(hostile).doesNotContain("/").doesNotContain(".");
        assertThat(Path.of("/cache").resolve(hostile).normalize().getParent()).isEqualTo(Path.of("/cache"));

        // UCloud's plain replacement would map both of these to "a-b-1-0".
        String dotted = GoldenImageCache.fileName(new GoldenImageKey("a.b", "1.0"), url, null);
        String dashed = GoldenImageCache.fileName(new GoldenImageKey("a-b", "1-0"), url, null);
        assertThat(dotted).startsWith("a-b-1-0-").isNotEqualTo(dashed);
        // Where the name ends and the version starts matters too.
        assertThat(GoldenImageCache.fileName(new GoldenImageKey("a", "b-c"), url, null))
                .isNotEqualTo(GoldenImageCache.fileName(new GoldenImageKey("a-b", "c"), url, null));
        // A republished image (other URL or checksum) under the same version is another file.
        assertThat(GoldenImageCache.fileName(APP, url, null))
                .isNotEqualTo(GoldenImageCache.fileName(APP, URI.create("https://images.example/y.qcow2"), null))
                .isNotEqualTo(GoldenImageCache.fileName(APP, url, "a".repeat(64)));
        // The same key always gives the same name: the file on disk is the cache.
        assertThat(GoldenImageCache.fileName(APP, url, null)).isEqualTo(GoldenImageCache.fileName(APP, url, null));

        String longName = GoldenImageCache.fileName(new GoldenImageKey("n".repeat(500), "v".repeat(500)), url, null);
        assertThat(longName.length()).isLessThan(160);
    }
}
