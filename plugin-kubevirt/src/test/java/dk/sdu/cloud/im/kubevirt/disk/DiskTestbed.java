package dk.sdu.cloud.im.kubevirt.disk;

import dk.sdu.cloud.im.kubevirt.testing.ManualScheduler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the preparer tests share: a provider file system in a temporary folder, a local image server, one
 * test image, and preparers over the same cache folder (a new preparer is an IM restart).
 */
final class DiskTestbed implements AutoCloseable {
    static final int IMAGE_BYTES = (int) (4 * TestImages.MIB);
    static final String IMAGE_PATH = "/images/ubuntu.qcow2";
    static final GoldenImageKey APP = new GoldenImageKey("ubuntu-vm", "24.04");
    /** The test server is on loopback, which images may only come from when the configuration allows it. */
    static final ImageAddressPolicy LOOPBACK_MIRROR = new ImageAddressPolicy(List.of(IpNetwork.parse("127.0.0.1/32")),
            List.of());

    final Path root;
    final Path mountPoint;
    final Path cacheFolder;
    final ImageServer server;
    final byte[] content;
    final Path image;
    final byte[] imageBytes;
    final String imageSha256;
    private final List<DiskPreparer> preparers = new ArrayList<>();

    DiskTestbed(Path root) throws IOException {
        TestImages.requireQemuImg();
        this.root = root;
        this.mountPoint = Files.createDirectories(root.resolve("mnt"));
        this.cacheFolder = mountPoint.resolve("vm-golden-images");
        Path sources = Files.createDirectories(root.resolve("sources"));
        this.content = TestImages.pattern(IMAGE_BYTES, 42);
        this.image = TestImages.qcow2(sources, "ubuntu.qcow2", content);
        this.imageBytes = Files.readAllBytes(image);
        this.imageSha256 = TestImages.sha256(imageBytes);
        this.server = new ImageServer().serve(IMAGE_PATH, imageBytes);
    }

    /** The defaults, allowing the loopback image server. */
    DiskPreparerSettings settings() {
        return DiskPreparerSettings.defaults(cacheFolder).withImageAddresses(LOOPBACK_MIRROR);
    }

    DiskPreparer preparer() {
        return preparer(settings(), DiskOwnership.qemu(), Clock.systemUTC());
    }

    DiskPreparer preparer(DiskPreparerSettings settings, DiskOwnership ownership, Clock clock) {
        return preparer(settings, ownership, clock, HostResolver.system());
    }

    /** A preparer whose image hosts are resolved by {@code resolver}. */
    DiskPreparer preparer(DiskPreparerSettings settings, HostResolver resolver) {
        return preparer(settings, DiskOwnership.qemu(), Clock.systemUTC(), resolver);
    }

    /** A preparer whose download watchdog ticks only when the test says (see {@link ManualScheduler}). */
    DiskPreparer preparer(DiskPreparerSettings settings, ManualScheduler watchdog) {
        return remember(new DiskPreparer(settings, QemuImg.onPath(), DiskPreparer.defaultHttpClient(),
                DiskOwnership.qemu(), Clock.systemUTC(), HostResolver.system(), watchdog));
    }

    private DiskPreparer preparer(DiskPreparerSettings settings, DiskOwnership ownership, Clock clock,
                                  HostResolver resolver) {
        return remember(new DiskPreparer(settings, QemuImg.onPath(), DiskPreparer.defaultHttpClient(),
                ownership, clock, resolver, Executors.newSingleThreadScheduledExecutor()));
    }

    private DiskPreparer remember(DiskPreparer preparer) {
        preparers.add(preparer);
        return preparer;
    }

    Path jobFolder(String jobId) {
        return mountPoint.resolve("home/alice#1234/Jobs/VirtualMachines").resolve(jobId);
    }

    DiskPreparationRequest request(String jobId) {
        return request(jobId, server.url(IMAGE_PATH), imageSha256, 1);
    }

    DiskPreparationRequest request(String jobId, URI url, String sha256, int sizeGiB) {
        return new DiskPreparationRequest(jobId, APP, url, sha256, jobFolder(jobId), sizeGiB);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the preparation did not end within 60 s", e);
        }
    }

    /** The reason a preparation failed with; fails the test when it succeeded. */
    static String failureOf(CompletableFuture<?> future) throws Exception {
        try {
            Object result = future.get(60, TimeUnit.SECONDS);
            return fail("expected a failure, got " + result);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DiskPreparationException.class);
            return e.getCause().getMessage();
        }
    }

    /** Files in the cache folder whose names mark an unfinished download. */
    List<String> unfinishedDownloads() throws IOException {
        return TestImages.names(cacheFolder).stream().filter(n -> n.endsWith(".download")).toList();
    }

    List<String> cachedImages() throws IOException {
        return TestImages.names(cacheFolder).stream().filter(n -> !n.startsWith(".")).toList();
    }

    @Override
    public void close() {
        preparers.forEach(DiskPreparer::close);
        server.close();
    }
}
