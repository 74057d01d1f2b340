package dk.sdu.cloud.im.kubevirt.disk;

import dk.sdu.cloud.im.kubevirt.testing.ManualScheduler;
import dk.sdu.cloud.im.testdata.RefusingPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.DONE;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.DOWNLOADING;
import static dk.sdu.cloud.im.kubevirt.disk.DiskPreparationPhase.FAILED;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.IMAGE_PATH;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.await;
import static dk.sdu.cloud.im.kubevirt.disk.DiskTestbed.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each way a preparation fails: a clear reason, a FAILED event with it, no partial file anywhere, and a
 * later call that can succeed.
 */
class DiskPreparationFailureTest {
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

    private String fails(DiskPreparer preparer, DiskPreparationRequest request) throws Exception {
        RecordingListener listener = new RecordingListener();
        return failedCleanly(request, listener, preparer.prepare(request, listener));
    }

    /** The reason a preparation failed with, once its last event says so and it left no file behind. */
    private String failedCleanly(DiskPreparationRequest request, RecordingListener listener,
                                 CompletableFuture<PreparedDisk> running) throws Exception {
        String reason = failureOf(running);
        assertThat(listener.last()).isEqualTo(new DiskPreparationEvent(request.jobId(), FAILED, -1, 0, -1,
                "Disk preparation failed: " + reason));
        assertThat(bed.unfinishedDownloads()).as("unfinished downloads").isEmpty();
        assertThat(TestImages.names(request.jobFolder())).as("job folder").doesNotContain("disk.img")
                .noneMatch(name -> name.endsWith(".partial"));
        return reason;
    }

    private String fails(DiskPreparationRequest request) throws Exception {
        return fails(bed.preparer(), request);
    }

    /** Waits for what another thread does; the bound only keeps a broken test from hanging. */
    private static void until(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(60)).until(condition);
    }

    @Test
    void aChecksumMismatchFailsNamingBothHashesAndCachesNothing() throws Exception {
        String wrong = "0".repeat(64);

        String reason = fails(bed.request("1", bed.server.url(IMAGE_PATH), wrong, 1));

        assertThat(reason).contains("wrong SHA-256").contains("expected " + wrong).contains("got " + bed.imageSha256)
                .contains(bed.server.url(IMAGE_PATH).toString());
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void anUpperCaseChecksumIsTheSameChecksum() throws Exception {
        PreparedDisk disk = await(bed.preparer().prepare(
                bed.request("1", bed.server.url(IMAGE_PATH), bed.imageSha256.toUpperCase(), 1),
                DiskPreparationListener.none()));

        assertThat(disk.disk()).exists();
    }

    @Test
    void http404FailsWithAShortReasonThatDoesNotTellTheStatus() throws Exception {
        URI missing = bed.server.url("/images/missing.qcow2");

        String reason = fails(bed.request("1", missing, null, 1));

        assertThat(reason).isEqualTo("the image could not be downloaded (HTTP error)");
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void http500FailsAndTheNextCallRetriesAndSucceeds() throws Exception {
        bed.server.failNext(IMAGE_PATH, 500, 1);
        DiskPreparer preparer = bed.preparer();

        String reason = fails(preparer, bed.request("1"));
        PreparedDisk retried = await(preparer.prepare(bed.request("1"), DiskPreparationListener.none()));

        assertThat(reason).isEqualTo("the image could not be downloaded (HTTP error)");
        assertThat(retried.alreadyThere()).isFalse();
        assertThat(TestImages.read(retried.disk(), 0, DiskTestbed.IMAGE_BYTES)).isEqualTo(bed.content);
        assertThat(bed.server.requests(IMAGE_PATH)).isEqualTo(2);
    }

    @Test
    void credentialsAndQueryOfTheUrlDoNotAppearInMessages() throws Exception {
        URI signed = URI.create("http://user:secret@127.0.0.1:" + bed.server.url("/").getPort()
                + "/images/missing.qcow2?X-Signature=topsecret");

        String reason = fails(bed.request("1", signed, null, 1));

        assertThat(reason).doesNotContain("secret").isEqualTo("the image could not be downloaded (HTTP error)");
    }

    @Test
    void anUnreachableServerFailsWithAShortReason() throws Exception {
        try (RefusingPort closed = RefusingPort.open()) {
            URI unreachable = URI.create("http://127.0.0.1:" + closed.port() + "/x.qcow2");

            String reason = fails(bed.request("1", unreachable, null, 1));

            assertThat(reason).isEqualTo("the image could not be downloaded (connection failed)");
        }
    }

    @Test
    void aBodyCutShortFailsAndLeavesNoPartialImage() throws Exception {
        bed.server.cutAfter(IMAGE_PATH, 1000);

        String reason = fails(bed.request("1"));

        // Cut short as the client notices it: mid-read, or at the end with too few bytes.
        assertThat(reason).isIn("the image could not be downloaded (the transfer failed)",
                        "the image could not be downloaded (the transfer was cut short)")
                .doesNotContain("1000").doesNotContain(String.valueOf(bed.imageBytes.length));
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void aConnectionDroppedRightAfterTheAnswersHeadIsATransferFailureNotAConnectionFailure() throws Exception {
        // The head announces a body, then the connection is reset at once: the client may report it through the
        // request itself, before the download has begun reading.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    socket.setSoLinger(true, 0);   // a reset, not an orderly end
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            URI dropping = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x.qcow2");

            String reason = fails(bed.request("1", dropping, null, 1));

            assertThat(reason).isIn("the image could not be downloaded (the transfer failed)",
                    "the image could not be downloaded (the transfer was cut short)");
            served.get(60, TimeUnit.SECONDS);
        }
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void aDownloadThatStopsDeliveringBytesIsAbortedAfterTheIdleTimeout() throws Exception {
        long stallAt = halfOfTheImage();
        bed.server.stallAfter(IMAGE_PATH, Math.toIntExact(stallAt));
        ManualScheduler watchdog = new ManualScheduler();
        DiskPreparer preparer = bed.preparer(bed.settings().withDownloadIdleTimeout(Duration.ofSeconds(3)), watchdog);
        DiskPreparationRequest request = bed.request("1");
        RecordingListener listener = new RecordingListener();
        CompletableFuture<PreparedDisk> running = preparer.prepare(request, listener);
        until(() -> listener.of(DOWNLOADING).stream().anyMatch(e -> e.bytesDone() == stallAt));
        assertThat(watchdog.periods()).as("one watched download, checked every second")
                .containsExactly(Duration.ofSeconds(1));

        watchdog.tick();            // sees the bytes
        watchdog.tick();            // 1 s without a byte
        watchdog.tick();            // 2 s
        watchdog.tick();            // 3 s: the idle timeout

        String reason = failedCleanly(request, listener, running);
        // The byte count goes to the log only; the job's status gets the short reason.
        assertThat(reason).isEqualTo("the image could not be downloaded (no data arrived for PT3S)");
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
        assertThat(watchdog.periods()).as("the watch ends with the download").isEmpty();
    }

    @Test
    void aDownloadThatPausesForLessThanTheIdleTimeoutGoesOn() throws Exception {
        long pauseAt = halfOfTheImage();
        CountDownLatch resume = bed.server.pauseAfter(IMAGE_PATH, Math.toIntExact(pauseAt));
        ManualScheduler watchdog = new ManualScheduler();
        DiskPreparer preparer = bed.preparer(bed.settings().withDownloadIdleTimeout(Duration.ofSeconds(3)), watchdog);
        RecordingListener listener = new RecordingListener();
        CompletableFuture<PreparedDisk> running = preparer.prepare(bed.request("1"), listener);
        until(() -> listener.of(DOWNLOADING).stream().anyMatch(e -> e.bytesDone() == pauseAt));

        watchdog.tick();            // sees the bytes
        watchdog.tick();            // 1 s without a byte
        watchdog.tick();            // 2 s: still within the idle timeout
        resume.countDown();

        PreparedDisk disk = await(running);
        assertThat(TestImages.read(disk.disk(), 0, DiskTestbed.IMAGE_BYTES)).isEqualTo(bed.content);
        assertThat(listener.last().phase()).isEqualTo(DONE);
    }

    /**
     * The first byte count that reads as 50 % of the image: the downloader reports progress when the percentage
     * changes, so an event with exactly this many bytes says that the client has read all of them.
     */
    private long halfOfTheImage() {
        return (bed.imageBytes.length * 50L + 99) / 100;
    }

    @Test
    void aFileThatIsNotADiskImageFailsWithAClearMessage() throws Exception {
        bed.server.serve("/page.html", "<html><body>Please log in</body></html>\n".getBytes(StandardCharsets.UTF_8));

        String reason = fails(bed.request("1", bed.server.url("/page.html"), null, 1));

        assertThat(reason).contains("the file downloaded from " + bed.server.url("/page.html"))
                .contains("not a usable disk image").contains("not a whole number of 512-byte sectors");
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void aBrokenImageFailsWithQemuImgsOwnMessage() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(bed.imageBytes, 100);
        bed.server.serve("/broken.qcow2", truncated);

        String reason = fails(bed.request("1", bed.server.url("/broken.qcow2"), null, 1));

        assertThat(reason).contains("is not a disk image qemu-img can read")
                .contains("qemu-img info --output=json").contains("exited with status 1")
                .contains("qcow2 header too short");
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void anImageThatReadsAnotherFileIsRefused() throws Exception {
        Path child = TestImages.qcow2WithBackingFile(root.resolve("sources"), "child.qcow2", bed.image);
        bed.server.serve("/child.qcow2", Files.readAllBytes(child));

        String reason = fails(bed.request("1", bed.server.url("/child.qcow2"), null, 1));

        assertThat(reason).contains("refers to other files").contains(bed.image.toString())
                .contains("only self-contained images are accepted");
    }

    @Test
    void anImageLargerThanTheRequestedDiskIsNeverShrunk() throws Exception {
        Path big = TestImages.emptyQcow2(root.resolve("sources"), "big.qcow2", "3G");
        bed.server.serve("/big.qcow2", Files.readAllBytes(big));

        String reason = fails(bed.request("1", bed.server.url("/big.qcow2"), null, 2));

        assertThat(reason).contains("ubuntu-vm@24.04").contains("3 GiB").contains("larger than the requested 2 GiB")
                .contains("ask for at least 3 GiB");
        // The image itself is fine and stays cached for a request that fits.
        assertThat(bed.cachedImages()).hasSize(1);
    }

    @Test
    void aFailedOwnershipChangeFailsTheDiskAndLeavesNothing() throws Exception {
        DiskOwnership broken = disk -> {
            throw new IOException("chown: disk on fire");
        };
        DiskPreparer preparer = bed.preparer(bed.settings(), broken, Clock.systemUTC());

        String reason = fails(preparer, bed.request("1"));

        assertThat(reason).isEqualTo("chown: disk on fire");
        assertThat(bed.cachedImages()).hasSize(1);
    }

    @Test
    void aChownThatIsNotPermittedIsSkippedAndTheDiskIsMade() throws Exception {
        QemuDiskOwnership notPermitted = new QemuDiskOwnership((file, uid, gid) -> {
            throw new FileSystemException(file.toString(), null, "Operation not permitted");
        });
        DiskPreparer preparer = bed.preparer(bed.settings(), notPermitted, Clock.systemUTC());

        PreparedDisk prepared = await(preparer.prepare(bed.request("1"), DiskPreparationListener.none()));

        assertThat(prepared.disk()).exists();
        assertThat(Files.getAttribute(prepared.disk(), "unix:uid"))
                .isEqualTo(Files.getAttribute(Files.createFile(root.resolve("probe")), "unix:uid"));
    }

    @Test
    void cancellingARunningPreparationStopsItAndTheJobCanBePreparedLater() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer();
        RecordingListener listener = new RecordingListener();
        CompletableFuture<PreparedDisk> running = preparer.prepare(bed.request("1"), listener);
        until(() -> bed.server.waiting(IMAGE_PATH) == 1);

        assertThat(preparer.cancel("1")).isTrue();

        assertThat(failureOf(running)).startsWith("cancelled");
        assertThat(listener.last().phase()).isEqualTo(FAILED);
        assertThat(preparer.isRunning("1")).isFalse();
        assertThat(preparer.cancel("1")).as("nothing left to cancel").isFalse();
        gate.countDown();
        assertThat(bed.unfinishedDownloads()).isEmpty();
        assertThat(await(preparer.prepare(bed.request("1"), DiskPreparationListener.none())).disk()).exists();
    }

    @Test
    void cancellingWhileTheBodyIsBeingReadStopsTheDownload() throws Exception {
        bed.server.stallAfter(IMAGE_PATH, 1000);
        DiskPreparer preparer = bed.preparer();
        RecordingListener listener = new RecordingListener();
        CompletableFuture<PreparedDisk> running = preparer.prepare(bed.request("1"), listener);
        // An event with the announced length comes from inside the body's read loop.
        until(() -> listener.of(DOWNLOADING).stream().anyMatch(e -> e.bytesTotal() > 0));

        assertThat(preparer.cancel("1")).isTrue();

        assertThat(failureOf(running)).startsWith("cancelled");
        assertThat(bed.unfinishedDownloads()).isEmpty();
        assertThat(TestImages.names(bed.cacheFolder)).isEmpty();
    }

    @Test
    void closingFailsWhatRunsAndRefusesNewWork() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparer preparer = bed.preparer(bed.settings().withWorkers(1), DiskOwnership.qemu(), Clock.systemUTC());
        RecordingListener first = new RecordingListener();
        CompletableFuture<PreparedDisk> running = preparer.prepare(bed.request("1"), first);
        CompletableFuture<PreparedDisk> queued = preparer.prepare(bed.request("2"), DiskPreparationListener.none());
        until(() -> first.saw(DOWNLOADING) && bed.server.waiting(IMAGE_PATH) == 1);

        preparer.close();

        assertThat(failureOf(running)).startsWith("cancelled");
        assertThat(failureOf(queued)).isEqualTo("the disk preparer was closed before it started");
        assertThat(failureOf(preparer.prepare(bed.request("3"), DiskPreparationListener.none())))
                .isEqualTo("the disk preparer is closed");
        gate.countDown();
        assertThat(bed.unfinishedDownloads()).isEmpty();
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        var gate = bed.server.hold(IMAGE_PATH);
        DiskPreparerSettings settings = bed.settings();
        DiskPreparer preparer = bed.preparer(new DiskPreparerSettings(settings.imageCacheFolder(), 1, 1,
                settings.responseTimeout(), settings.downloadIdleTimeout(), settings.staleTempAge(),
                settings.qemuImgTimeouts(), settings.imageAddresses()), DiskOwnership.qemu(), Clock.systemUTC());
        CompletableFuture<PreparedDisk> running = preparer.prepare(bed.request("1"), DiskPreparationListener.none());
        CompletableFuture<PreparedDisk> queued = preparer.prepare(bed.request("2"), DiskPreparationListener.none());
        until(() -> bed.server.waiting(IMAGE_PATH) == 1);

        assertThat(failureOf(preparer.prepare(bed.request("3"), DiskPreparationListener.none())))
                .isEqualTo("too many disk preparations are waiting; try again later");
        assertThat(preparer.isRunning("3")).isFalse();
        gate.countDown();
        assertThat(await(running).disk()).exists();
        assertThat(await(queued).disk()).exists();
    }
}
