package dk.sdu.cloud.im.kubevirt.disk;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Downloads one image over HTTP(S) into a file, computing its SHA-256 on the way. A download that stops
 * delivering bytes for the idle timeout is aborted: the JDK client has no read timeout of its own.
 *
 * <p>Built for line rate: the client's threads read the socket while the downloading thread, woken once per
 * batch of about 1 MiB (see {@link QueuedBody}), hashes the client's buffers as they are and writes them to
 * the file in {@value #WRITE_BYTES}-byte pieces; progress is reported when the whole percent changes; and what
 * is written is forced to disk in the background every {@value #FLUSH_BYTES} bytes, so that the force before
 * the file is trusted finds little left to write. The file is forced before it is trusted because the cache
 * keeps it for good and every job of the application is made from it: after a crash of the host, an unforced
 * file can be torn in a way {@code qemu-img info} does not notice. How big the client's reads are is the
 * JVM's setting ({@code jdk.httpclient.bufsize}, see docs/disk-preparation.md).
 *
 * <p>The URL comes from users, so before each request, the first and every redirect, the host is resolved
 * and every address it resolves to must pass the {@link ImageAddressPolicy}; redirects are followed here
 * (the client must not follow them itself), up to {@value #MAX_REDIRECTS}, only to http and https and
 * never from https to http. The messages of the exceptions give a short reason only: they end up in the
 * user's job status, and must not tell what a server that the user should not reach answered (its
 * status, size or address). The full detail goes to the IM's log.
 */
final class ImageDownloader {
    private static final Logger log = LoggerFactory.getLogger(ImageDownloader.class);

    /** Progress step when the server gives no length. */
    static final long UNKNOWN_LENGTH_STEP = 32L << 20;
    /** The size of each write to the file: few system calls, and the buffer is allocated once per download. */
    static final int WRITE_BYTES = 1 << 20;
    /** Written bytes after which they are forced to disk in the background. */
    static final long FLUSH_BYTES = 64L << 20;
    /** As many redirects as the JDK client follows by default. */
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    interface Progress {
        void update(long bytes, long total);
    }

    private final HttpClient client;
    private final ScheduledExecutorService watchdog;
    private final Executor flusher;
    private final Duration responseTimeout;
    private final Duration idleTimeout;
    private final ImageAddressPolicy addresses;
    private final HostResolver resolver;

    /**
     * @param watchdog ticks each download's stall and cancel checks
     * @param flusher  forces written parts of downloads to disk in the background; each download has at most
     *                 one such task running
     * @throws IllegalArgumentException when the client follows redirects itself: they would skip the
     *                                  address check
     */
    ImageDownloader(HttpClient client, ScheduledExecutorService watchdog, Executor flusher, Duration responseTimeout,
                    Duration idleTimeout, ImageAddressPolicy addresses, HostResolver resolver) {
        this.client = requireNonNull(client, "client is null");
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        this.flusher = requireNonNull(flusher, "flusher is null");
        this.responseTimeout = requireNonNull(responseTimeout, "responseTimeout is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.addresses = requireNonNull(addresses, "addresses is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the image download client must not follow redirects itself "
                    + "(Redirect.NEVER): each redirect's address is checked before it is followed");
        }
    }

    /**
     * Downloads {@code url} into {@code target} (replacing its content) and forces it to disk.
     *
     * @param cancelled polled while the body is read (at least once a second); when it turns true the
     *                  download stops. Needed besides interrupts: on Java 17 an interrupt does not reliably
     *                  wake a read blocked in the HTTP client, and the interrupt status can be lost there.
     * @return the SHA-256 of what was downloaded, lower-case hex
     * @throws DiskPreparationException when an address is not allowed, on a non-2xx status, a bad redirect,
     *                                  a truncated body, a stall, or too little space
     * @throws InterruptedIOException   when the thread is interrupted or {@code cancelled} turns true
     */
    String download(URI url, Path target, Progress progress, BooleanSupplier cancelled) throws IOException {
        String shown = Urls.forDisplay(url);
        URI current = url;
        for (int redirects = 0; ; redirects++) {
            if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
                throw interrupted(shown, null);
            }
            checkAddress(current, shown);
            long asked = System.nanoTime();
            HttpResponse<QueuedBody> response = send(current, shown);
            int status = response.statusCode();
            log.debug("Downloading {}: HTTP status {} after {} ms", shown, status, (System.nanoTime() - asked) / 1_000_000);
            QueuedBody body = response.body();
            if (REDIRECTS.contains(status)) {
                body.abort(new IOException("a redirect's body is not read"));
                if (redirects == MAX_REDIRECTS) {
                    throw failure(shown, "too many redirects", "more than " + MAX_REDIRECTS + " redirects, the last "
                            + "from " + Urls.forDisplay(current), null);
                }
                current = redirectTarget(current, response, shown);
                continue;
            }
            try {
                if (status < 200 || status > 299) {
                    throw failure(shown, "HTTP error", "HTTP status " + status + " from " + Urls.forDisplay(current),
                            null);
                }
                long total = response.headers().firstValueAsLong("content-length").orElse(-1L);
                requireSpace(target, total, shown);
                return copy(body, target, total, shown, progress, cancelled);
            } finally {
                // Nothing once the body is read; otherwise the client stops reading it.
                body.abort(new IOException("the download ended"));
            }
        }
    }

    /** Resolves the URL's host and refuses it unless every address it resolves to is allowed. */
    private void checkAddress(URI url, String shown) throws DiskPreparationException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (!scheme.equals("http") && !scheme.equals("https") || host == null || host.isEmpty()) {
            throw refused(shown, "not an http or https address", Urls.forDisplay(url) + " is not an http(s) URL "
                    + "with a host");
        }
        List<InetAddress> resolved;
        try {
            resolved = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw failure(shown, "unknown host", "cannot resolve " + host + ": " + describe(e), e);
        }
        if (resolved.isEmpty()) {
            throw failure(shown, "unknown host", host + " resolves to no address", null);
        }
        // All of them, not only the first: the client may connect to any of them.
        for (InetAddress address : resolved) {
            Optional<String> refusal = addresses.refusal(address);
            if (refusal.isPresent()) {
                throw refused(shown, refusal.get(), Urls.forDisplay(url) + ": " + host + " resolves to "
                        + address.getHostAddress() + " (" + refusal.get() + "; all addresses: "
                        + resolved.stream().map(InetAddress::getHostAddress).toList() + ")");
            }
        }
    }

    private HttpResponse<QueuedBody> send(URI url, String shown) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(responseTimeout).build();
        // Once the answer's head is in, a failure is the transfer's, not the connection's: the client may report a
        // body cut short right away through send() when it comes before send() returns.
        AtomicBoolean answered = new AtomicBoolean();
        try {
            return client.send(request, response -> {
                answered.set(true);
                return new QueuedBody();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(shown, e);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted(shown, e);
            }
            throw sendFailure(url, shown, answered.get(), e);
        } catch (IOException e) {
            throw sendFailure(url, shown, answered.get(), e);
        }
    }

    private static DiskPreparationException sendFailure(URI url, String shown, boolean answered, IOException e) {
        return answered
                ? failure(shown, "the transfer failed", Urls.forDisplay(url) + ": the answer began, then "
                        + describe(e), e)
                : failure(shown, "connection failed", Urls.forDisplay(url) + ": " + describe(e), e);
    }

    private static URI redirectTarget(URI from, HttpResponse<?> response, String shown) {
        String location = response.headers().firstValue("location").orElse(null);
        String redirect = "HTTP status " + response.statusCode() + " from " + Urls.forDisplay(from);
        if (location == null) {
            throw failure(shown, "bad redirect", redirect + " without a Location", null);
        }
        URI next;
        try {
            next = from.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            // Not the Location itself: a signed link carries credentials in it.
            throw failure(shown, "bad redirect", redirect + " to a Location that is not a URI", null);
        }
        String detail = redirect + " to " + Urls.forDisplay(next);
        if ("https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(next.getScheme())) {
            throw failure(shown, "redirect from https to http", detail, null);
        }
        log.debug("Downloading {}: following the redirect {}", shown, detail);
        return next;
    }

    /** A refusal: the address is not allowed. Said in a few words; the detail goes to the log. */
    private static DiskPreparationException refused(String shown, String reason, String detail) {
        log.warn("Refused to download the image {}: {}", shown, detail);
        return new DiskPreparationException("the image address is not allowed (" + reason + ")");
    }

    /** A failed download. Said in a few words; the detail goes to the log. */
    private static DiskPreparationException failure(String shown, String reason, String detail, Throwable cause) {
        log.warn("Downloading the image {} failed: {}", shown, detail);
        return new DiskPreparationException("the image could not be downloaded (" + reason + ")", cause);
    }

    private String copy(QueuedBody body, Path target, long total, String shown, Progress progress,
                        BooleanSupplier cancelled) throws IOException {
        long started = System.nanoTime();
        long bodyRead = started;
        MessageDigest sha256 = sha256();
        AtomicLong received = new AtomicLong();
        Watch watch = new Watch(body, Thread.currentThread(), cancelled, idleTimeout);
        ScheduledFuture<?> dog = watchdog.scheduleAtFixedRate(() -> watch.tick(body.arrived()),
                watch.tickMillis, watch.tickMillis, TimeUnit.MILLISECONDS);
        long reported = 0;
        int reportedPercent = 0;
        progress.update(0, total);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StagedFileWriter writer = new StagedFileWriter(out, flusher, WRITE_BYTES, FLUSH_BYTES);
            try {
                long bytes = 0;
                List<ByteBuffer> buffers;
                while (!(buffers = body.take()).isEmpty()) {
                    if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
                        throw new InterruptedIOException("interrupted while downloading " + shown);
                    }
                    for (ByteBuffer buffer : buffers) {
                        int start = buffer.position();
                        bytes += buffer.remaining();
                        sha256.update(buffer);
                        writer.write(buffer.position(start));
                    }
                    body.consumed();
                    received.set(bytes);
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
                bodyRead = System.nanoTime();
                writer.finish();
            } finally {
                writer.abandon();   // no background force may outlive the channel
            }
        } catch (InterruptedException e) {
            watch.finish();
            Thread.currentThread().interrupt();
            throw interrupted(shown, e);
        } catch (IOException e) {
            Watch.Outcome outcome = watch.finish();
            if (outcome == Watch.Outcome.STALLED) {
                throw failure(shown, "no data arrived for " + idleTimeout, "no data arrived for " + idleTimeout
                        + " after " + received.get() + " bytes", e);
            }
            if (outcome == Watch.Outcome.CANCELLED || e instanceof InterruptedIOException
                    || Thread.currentThread().isInterrupted()) {
                throw interrupted(shown, e);
            }
            throw failure(shown, "the transfer failed", "after " + received.get() + " bytes: " + describe(e), e);
        } finally {
            dog.cancel(false);
        }
        long bytes = received.get();
        if (total >= 0 && bytes != total) {
            throw failure(shown, "the transfer was cut short", "got " + bytes + " bytes, but the server "
                    + "announced " + total, null);
        }
        if (bytes != reported || total <= 0) {
            progress.update(bytes, total);
        }
        long forced = System.nanoTime();
        log.debug("Downloaded {} bytes from {}: body read, hashed and written in {} ms, the final force took {} ms",
                bytes, shown, (bodyRead - started) / 1_000_000, (forced - bodyRead) / 1_000_000);
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void requireSpace(Path target, long total, String shown) throws IOException {
        if (total <= 0) {
            return;
        }
        long usable = Files.getFileStore(target).getUsableSpace();
        if (usable < total) {
            throw failure(shown, "too little free space in the image cache", "it is " + total
                    + " bytes, but the image cache has only " + usable + " bytes free", null);
        }
    }

    private static InterruptedIOException interrupted(String shown, Exception cause) {
        InterruptedIOException e = new InterruptedIOException("interrupted while downloading " + shown);
        if (cause != null) {
            e.initCause(cause);
        }
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
     * Watches a body being read, ticking at most once a second. It aborts the body, which wakes the reader
     * waiting for it, when no byte arrived for the idle timeout, or when the download is cancelled (flag or
     * interrupt). It acts only while the body is being read.
     */
    private static final class Watch {
        enum Outcome { READ, STALLED, CANCELLED }

        private final QueuedBody body;
        private final Thread reader;
        private final BooleanSupplier cancelled;
        final long tickMillis;
        private final long quietTicksAllowed;
        private long lastSeen = -1;
        private long quietTicks;
        private boolean reading = true;
        private Outcome outcome = Outcome.READ;

        Watch(QueuedBody body, Thread reader, BooleanSupplier cancelled, Duration idleTimeout) {
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
            body.abort(new IOException(why == Outcome.STALLED ? "no data arrived" : "cancelled"));
        }

        /** Stops watching; says whether the body was closed, and why. */
        synchronized Outcome finish() {
            reading = false;
            return outcome;
        }
    }
}
