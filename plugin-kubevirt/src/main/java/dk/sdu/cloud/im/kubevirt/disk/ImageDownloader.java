package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Downloads one image over HTTP(S) into a file, computing its SHA-256 on the way. A download that stops
 * delivering bytes for the idle timeout is aborted: the JDK client has no read timeout of its own.
 */
final class ImageDownloader {
    private static final Logger log = LoggerFactory.getLogger(ImageDownloader.class);

    /** Progress step when the server gives no length. */
    static final long UNKNOWN_LENGTH_STEP = 32L << 20;

    interface Progress {
        void update(long bytes, long total);
    }

    private final HttpClient client;
    private final ScheduledExecutorService watchdog;
    private final Duration responseTimeout;
    private final Duration idleTimeout;

    ImageDownloader(HttpClient client, ScheduledExecutorService watchdog, Duration responseTimeout,
                    Duration idleTimeout) {
        this.client = requireNonNull(client, "client is null");
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        this.responseTimeout = requireNonNull(responseTimeout, "responseTimeout is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
    }

    /**
     * Downloads {@code url} into {@code target} (replacing its content) and forces it to disk.
     *
     * @param cancelled polled while the body is read (at least once a second); when it turns true the
     *                  download stops. Needed besides interrupts: on Java 17 an interrupt does not reliably
     *                  wake a read blocked in the HTTP client, and the interrupt status can be lost there.
     * @return the SHA-256 of what was downloaded, lower-case hex
     * @throws DiskPreparationException on a non-2xx status, a truncated body, a stall, or too little space
     * @throws InterruptedIOException   when the thread is interrupted or {@code cancelled} turns true
     */
    String download(URI url, Path target, Progress progress, BooleanSupplier cancelled) throws IOException {
        String shown = Urls.forDisplay(url);
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(responseTimeout).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(shown, e);
        } catch (IOException e) {
            throw new DiskPreparationException("downloading " + shown + " failed: " + describe(e), e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status < 200 || status > 299) {
                throw new DiskPreparationException("downloading " + shown + " failed: HTTP status " + status);
            }
            long total = response.headers().firstValueAsLong("content-length").orElse(-1L);
            requireSpace(target, total, shown);
            return copy(body, target, total, shown, progress, cancelled);
        }
    }

    private String copy(InputStream body, Path target, long total, String shown, Progress progress,
                        BooleanSupplier cancelled) throws IOException {
        MessageDigest sha256 = sha256();
        AtomicLong received = new AtomicLong();
        Watch watch = new Watch(body, Thread.currentThread(), cancelled, idleTimeout);
        ScheduledFuture<?> dog = watchdog.scheduleAtFixedRate(() -> watch.tick(received.get()),
                watch.tickMillis, watch.tickMillis, TimeUnit.MILLISECONDS);
        long reported = 0;
        int reportedPercent = 0;
        progress.update(0, total);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
                    throw new InterruptedIOException("interrupted while downloading " + shown);
                }
                sha256.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                long bytes = received.addAndGet(n);
                if (total > 0) {
                    int percent = (int) Math.min(100, bytes * 100 / total);
                    if (percent != reportedPercent) {
                        reportedPercent = percent;
                        reported = bytes;
                        progress.update(bytes, total);
                    }
                } else if (bytes - reported >= UNKNOWN_LENGTH_STEP) {
                    reported = bytes;
                    progress.update(bytes, total);
                }
            }
            watch.finish();
            out.force(true);
        } catch (IOException e) {
            Watch.Outcome outcome = watch.finish();
            if (outcome == Watch.Outcome.STALLED) {
                throw new DiskPreparationException("downloading " + shown + " failed: no data arrived for "
                        + idleTimeout + " after " + received.get() + " bytes", e);
            }
            if (outcome == Watch.Outcome.CANCELLED || e instanceof InterruptedIOException
                    || Thread.currentThread().isInterrupted()) {
                throw interrupted(shown, e);
            }
            throw new DiskPreparationException("downloading " + shown + " failed after " + received.get()
                    + " bytes: " + describe(e), e);
        } finally {
            dog.cancel(false);
        }
        long bytes = received.get();
        if (total >= 0 && bytes != total) {
            throw new DiskPreparationException("downloading " + shown + " failed: got " + bytes
                    + " bytes, but the server announced " + total);
        }
        if (bytes != reported || total <= 0) {
            progress.update(bytes, total);
        }
        log.debug("Downloaded {} bytes from {}", bytes, shown);
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void requireSpace(Path target, long total, String shown) throws IOException {
        if (total <= 0) {
            return;
        }
        long usable = Files.getFileStore(target).getUsableSpace();
        if (usable < total) {
            throw new DiskPreparationException("cannot download " + shown + ": it is " + total
                    + " bytes, but the image cache has only " + usable + " bytes free");
        }
    }

    private static InterruptedIOException interrupted(String shown, Exception cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted while downloading " + shown);
        e.initCause(cause);
        return e;
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Watches a body being read, ticking at most once a second. It closes the body, which wakes a read
     * blocked in the HTTP client, when no byte arrived for the idle timeout, or when the download is
     * cancelled (flag or interrupt). It acts only while the body is being read.
     */
    private static final class Watch {
        enum Outcome { READ, STALLED, CANCELLED }

        private final InputStream body;
        private final Thread reader;
        private final BooleanSupplier cancelled;
        final long tickMillis;
        private final long quietTicksAllowed;
        private long lastSeen = -1;
        private long quietTicks;
        private boolean reading = true;
        private Outcome outcome = Outcome.READ;

        Watch(InputStream body, Thread reader, BooleanSupplier cancelled, Duration idleTimeout) {
            this.body = body;
            this.reader = reader;
            this.cancelled = cancelled;
            this.tickMillis = Math.max(1, Math.min(1000, idleTimeout.toMillis()));
            this.quietTicksAllowed = Math.max(1, (idleTimeout.toMillis() + tickMillis - 1) / tickMillis);
        }

        synchronized void tick(long received) {
            if (!reading) {
                return;
            }
            if (cancelled.getAsBoolean() || reader.isInterrupted()) {
                stop(Outcome.CANCELLED);
            } else if (received != lastSeen) {
                lastSeen = received;
                quietTicks = 0;
            } else if (++quietTicks >= quietTicksAllowed) {
                stop(Outcome.STALLED);
            }
        }

        private void stop(Outcome why) {
            reading = false;
            outcome = why;
            try {
                body.close();
            } catch (IOException e) {
                log.debug("Closing a download's body failed", e);
            }
        }

        /** Stops watching; says whether the body was closed, and why. */
        synchronized Outcome finish() {
            reading = false;
            return outcome;
        }
    }
}
