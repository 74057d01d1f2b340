package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The golden image cache: one file per application image in a folder of the provider file system.
 *
 * <p>A complete file in the folder is the cache; nothing about it is kept in memory, so it survives
 * restarts. Downloads go to a hidden temporary file in the same folder, are checked, and are then renamed
 * into place atomically, so a file under its final name is always complete. Callers in this process that
 * want the same image while it downloads wait for that one download; two IM processes racing for the same
 * image each download it, and the second to finish finds the file present and keeps the one in place.
 * Temporary files untouched for longer than the stale age (a crash's leftovers) are deleted at start.
 *
 * <p>A download belongs to no caller: it runs on its own thread and counts the callers waiting for it. A
 * caller that is cancelled only stops waiting; the download goes on for the others and is stopped when the
 * last one has left (which then waits until it has stopped and removed its file). A stopped download takes
 * no new callers: the next one starts a fresh download.
 */
final class GoldenImageCache {
    private static final Logger log = LoggerFactory.getLogger(GoldenImageCache.class);

    /** The formats CDI accepts as well; qemu-img reads more, but nothing else is a VM disk people ship. */
    static final Set<String> ACCEPTED_FORMATS = Set.of("raw", "qcow2", "vmdk", "vdi", "vpc", "vhdx");
    /** Smaller than this cannot hold a bootable system; it is an error page or a stub. */
    static final long MIN_VIRTUAL_SIZE = 1L << 20;
    private static final String TEMP_SUFFIX = ".download";
    private static final int NAME_PART_LIMIT = 60;
    /** How long the last caller to leave a download waits for it to stop. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Duration CANCEL_POLL = Duration.ofSeconds(1);

    private final Path folder;
    private final ImageDownloader downloader;
    private final QemuImg qemuImg;
    private final Clock clock;
    private final Duration staleTempAge;
    private final Executor downloads;
    private final Object lock = new Object();
    private final Map<String, Download> inFlight = new HashMap<>();   // guarded by lock

    /** One download in progress, with everyone waiting for it. */
    private static final class Download {
        final CompletableFuture<GoldenImage> result = new CompletableFuture<>();
        final ProgressFanout<ImageProgress> progress = new ProgressFanout<>();
        /** Set when the last caller left; the downloader polls it, as interrupts do not reach every read. */
        final AtomicBoolean stopped = new AtomicBoolean();
        int waiting;      // guarded by the cache's lock
        Thread thread;    // guarded by the cache's lock; the thread downloading, while it does

        /** The download of a stopped one is not used: every waiter has gone. */
        boolean joinable() {
            return !stopped.get() && !result.isDone();
        }
    }

    /**
     * @param downloads runs the downloads, each on its own thread for as long as it takes: it should start
     *                  a thread per task (a cached pool); a download waits for nothing but the network
     */
    GoldenImageCache(Path folder, ImageDownloader downloader, QemuImg qemuImg, Clock clock, Duration staleTempAge,
                     Executor downloads) {
        this.folder = requireNonNull(folder, "folder is null");
        this.downloader = requireNonNull(downloader, "downloader is null");
        this.downloads = requireNonNull(downloads, "downloads is null");
        this.qemuImg = requireNonNull(qemuImg, "qemuImg is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.staleTempAge = requireNonNull(staleTempAge, "staleTempAge is null");
    }

    Path folder() {
        return folder;
    }

    /** Creates the folder (0700 when new) and deletes stale temporary files. */
    void open() {
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder);
                restrict(folder, "rwx------");
            }
            deleteStaleTemporaryFiles();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the golden image cache folder " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    private void deleteStaleTemporaryFiles() throws IOException {
        Instant cutoff = clock.instant().minus(staleTempAge);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ".*" + TEMP_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(entry);
                    log.info("Deleted the unfinished download {} (untouched for more than {})", entry, staleTempAge);
                }
            }
        }
    }

    /**
     * The file name of an image: readable parts of the application's name and version (everything but
     * letters, digits, {@code _} and {@code -} turned into {@code -}, so no separator, no dot and no
     * leading dot) and a hash of the exact key, URL and checksum, so that different keys never share a
     * file even when their readable parts are equal.
     */
    static String fileName(GoldenImageKey key, URI url, String sha256) {
        String exact = lengthPrefixed(key.appName()) + lengthPrefixed(key.appVersion())
                + lengthPrefixed(url.toString()) + lengthPrefixed(sha256 == null ? "" : sha256);
        String hash = HexFormat.of().formatHex(sha256Of(exact)).substring(0, 16);
        return readable(key.appName()) + "-" + readable(key.appVersion()) + "-" + hash;
    }

    private static String lengthPrefixed(String part) {
        return part.length() + ":" + part;
    }

    private static String readable(String part) {
        String cleaned = part.replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.length() > NAME_PART_LIMIT ? cleaned.substring(0, NAME_PART_LIMIT) : cleaned;
    }

    /**
     * The checked image for a request: from the cache, or downloaded now (or by another caller of this
     * process that is already downloading it). Blocks until it is there.
     *
     * <p>The caller waits for the download, whoever started it. When it is interrupted or {@code cancelled}
     * turns true, it stops waiting (with an {@link InterruptedIOException}); the download goes on for the
     * other callers, and is stopped when none is left.
     *
     * @param progress  receives download and verification progress (the latest at once when joining) until
     *                  the caller stops waiting
     * @param cancelled whether the caller's preparation was cancelled
     */
    GoldenImage obtain(DiskPreparationRequest request, ProgressFanout.Sink<ImageProgress> progress,
                       BooleanSupplier cancelled) throws IOException {
        String name = fileName(request.imageKey(), request.imageUrl(), request.imageSha256());
        Path file = folder.resolve(name);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return cached(file);
        }
        Download download = join(request, name, file);
        download.progress.add(progress);
        try {
            return await(download, request, cancelled);
        } finally {
            download.progress.remove(progress);
            leave(name, download);
        }
    }

    /** The running download of the image, or a new one; the caller counts as waiting for it. */
    private Download join(DiskPreparationRequest request, String name, Path file) {
        synchronized (lock) {
            Download running = inFlight.get(name);
            if (running != null && running.joinable()) {
                running.waiting++;
                log.info("Job {} waits for the download of {} that is already running", request.jobId(),
                        request.imageKey());
                return running;
            }
            Download fresh = new Download();
            fresh.waiting = 1;
            inFlight.put(name, fresh);
            try {
                downloads.execute(() -> run(fresh, request, name, file));
            } catch (RejectedExecutionException closed) {
                inFlight.remove(name, fresh);
                fresh.result.completeExceptionally(new DiskPreparationException("the download of "
                        + request.imageKey() + " cannot start: the disk preparer is closing"));
            }
            return fresh;
        }
    }

    /** The caller no longer waits; the last one to leave an unfinished download stops it and waits for that. */
    private void leave(String name, Download download) {
        synchronized (lock) {
            if (--download.waiting > 0 || download.result.isDone()) {
                return;
            }
            download.stopped.set(true);
            inFlight.remove(name, download);
            if (download.thread != null) {
                download.thread.interrupt();
            }
        }
        log.info("Stopping the download of {}: no job waits for it any more", name);
        // The caller's own interrupt brought it here; waiting must not end on it, so it is set again after.
        boolean interrupted = Thread.interrupted();
        try {
            download.result.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CancellationException stoppedAsAsked) {
            // It ended, as asked.
        } catch (TimeoutException e) {
            log.warn("The download of {} did not stop within {}", name, STOP_WAIT);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs on a download thread: the image, or why not; removed from the running downloads before it completes. */
    private void run(Download download, DiskPreparationRequest request, String name, Path file) {
        GoldenImage image = null;
        Throwable failure = null;
        try {
            synchronized (lock) {
                download.thread = Thread.currentThread();
            }
            if (download.stopped.get()) {
                throw new InterruptedIOException("the download of " + request.imageKey() + " was stopped before it "
                        + "started");
            }
            // The download that was running when the caller looked may have finished in between.
            image = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? cached(file)
                    : download(request, name, file, download.progress, download.stopped::get);
        } catch (Throwable e) {
            failure = e;
        } finally {
            synchronized (lock) {
                download.thread = null;
                inFlight.remove(name, download);
            }
            Thread.interrupted();   // a stop that came late must not reach the pool's next task
        }
        if (failure == null) {
            download.result.complete(image);
        } else {
            download.result.completeExceptionally(failure);
        }
    }

    private static GoldenImage await(Download download, DiskPreparationRequest request, BooleanSupplier cancelled)
            throws IOException {
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new InterruptedIOException("cancelled while waiting for the download of " + request.imageKey());
            }
            try {
                // Woken by the caller's interrupt; the timeout only lets it see the cancelled flag as well.
                return download.result.get(CANCEL_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting for "
                        + "the download of " + request.imageKey());
                interrupted.initCause(e);
                throw interrupted;
            } catch (ExecutionException e) {
                throw failureOf(e.getCause(), request);
            }
        }
    }

    /** Why a download failed, for each job that waited for it. */
    private static DiskPreparationException failureOf(Throwable cause, DiskPreparationRequest request) {
        if (cause instanceof DiskPreparationException failure) {
            return new DiskPreparationException(failure.getMessage(), failure);
        }
        if (cause instanceof InterruptedIOException) {
            // Only closing the preparer stops a download that still has callers.
            return new DiskPreparationException("the download of " + request.imageKey() + " was stopped before it "
                    + "finished (the disk preparer is closing); the next start tries again", cause);
        }
        if (cause instanceof IOException) {
            return new DiskPreparationException(cause.getMessage() == null ? cause.toString() : cause.getMessage(),
                    cause);
        }
        return new DiskPreparationException("the download of " + request.imageKey() + " failed: " + cause, cause);
    }

    private GoldenImage download(DiskPreparationRequest request, String name, Path file,
                                 ProgressFanout<ImageProgress> progress, BooleanSupplier cancelled)
            throws IOException {
        String shown = Urls.forDisplay(request.imageUrl());
        log.info("Downloading the image of {} from {} into {}", request.imageKey(), shown, file);
        progress.emit(ImageProgress.downloading(0, -1));
        Path temp = Files.createTempFile(folder, "." + name + ".", TEMP_SUFFIX);
        boolean placed = false;
        try {
            restrict(temp, "rw-------");
            String actual = downloader.download(request.imageUrl(), temp,
                    (bytes, total) -> progress.emit(ImageProgress.downloading(bytes, total)), cancelled);
            progress.emit(ImageProgress.verifying());
            String expected = request.imageSha256();
            if (expected != null && !expected.equals(actual)) {
                throw new DiskPreparationException("the image downloaded from " + shown
                        + " has the wrong SHA-256: expected " + expected + ", got " + actual);
            }
            ImageInfo info = inspect(temp, "the file downloaded from " + shown);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                log.info("Another process placed {} meanwhile; keeping that one", file);
                return cached(file);
            }
            placed = moveIntoPlace(temp, file);
            if (!placed) {
                return cached(file);
            }
            log.info("Cached the image of {} as {} ({}, virtual size {} bytes, SHA-256 {})", request.imageKey(),
                    file, info.format(), info.virtualSize(), actual);
            return new GoldenImage(file, info.format(), info.virtualSize());
        } finally {
            if (!placed) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Returns false when another process's file is already in place and this file system will not replace it. */
    private static boolean moveIntoPlace(Path temp, Path file) throws IOException {
        try {
            // Same folder, so a rename: the final name never shows a partial file.
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException e) {
            log.info("Another process placed {} meanwhile; keeping that one", file);
            return false;
        }
    }

    private GoldenImage cached(Path file) throws IOException {
        ImageInfo info = inspect(file, "the cached golden image " + file + " (remove it to download it again)");
        return new GoldenImage(file, info.format(), info.virtualSize());
    }

    /** qemu-img must read the file, and what it reads must look like a self-contained VM disk. */
    private ImageInfo inspect(Path image, String what) throws IOException {
        ImageInfo info;
        try {
            info = qemuImg.info(image);
        } catch (CommandFailedException e) {
            throw new DiskPreparationException(what + " is not a disk image qemu-img can read: " + e.getMessage(), e);
        }
        String problem = problemWith(info, Files.size(image));
        if (problem != null) {
            throw new DiskPreparationException(what + " is not a usable disk image: " + problem);
        }
        return info;
    }

    static String problemWith(ImageInfo info, long fileSize) {
        String format = info.format().toLowerCase(Locale.ROOT);
        if (!ACCEPTED_FORMATS.contains(format)) {
            return "its format is " + info.format() + ", accepted are " + String.join(", ",
                    ACCEPTED_FORMATS.stream().sorted().toList());
        }
        if (!info.foreignFiles().isEmpty()) {
            return "it refers to other files " + info.foreignFiles() + "; only self-contained images are accepted";
        }
        if (format.equals("raw") && fileSize % 512 != 0) {
            // qemu-img reads any file as raw; a real raw disk is whole 512-byte sectors.
            return "qemu-img sees only raw data, and its length of " + fileSize
                    + " bytes is not a whole number of 512-byte sectors";
        }
        if (info.virtualSize() < MIN_VIRTUAL_SIZE) {
            return "its virtual size of " + info.virtualSize() + " bytes is too small for a disk";
        }
        return null;
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            log.debug("{} has no POSIX permissions; leaving them as they are", path);
        }
    }

    private static byte[] sha256Of(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
