package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Image downloads and cold disk preparations against the same work done by hand with {@code curl} and
 * {@code qemu-img}, on one file from one local HTTP server ({@code python3 -m http.server} in a process of its
 * own, so that neither side shares a JVM with it).
 *
 * <p>The image is a qcow2 made by {@code qemu-img convert} from a raw disk whose MiB blocks are random, with
 * every eighth one left a hole (as a real image has free space); its file is about {@code --megabytes} MiB.
 * Before the rounds, {@code --warmup} downloads (default 2) are made untimed, so that the rounds measure the
 * download with the JIT's code, as a long-running IM has it. Each round runs, in an order that alternates between rounds so that neither side always goes first on a
 * warm page cache:
 * <ol>
 *   <li>{@code curl -o} of the image (the baseline), and the same file forced to disk afterwards (what a
 *       download that survives a crash costs at least);</li>
 *   <li>{@link ImageDownloader#download} of the image into a file (hashing and forcing it to disk, as the
 *       cache does);</li>
 *   <li>by hand: {@code curl -o}, {@code qemu-img convert -O raw}, {@code qemu-img resize} (the baseline of
 *       a cold preparation), and both files forced to disk after it (the preparer forces both before it
 *       trusts them);</li>
 *   <li>{@link DiskPreparer#prepare} with an empty image cache: download (forced to disk), check, a sparse
 *       file of the disk's size, convert into it (direct I/O), fsync, rename.</li>
 * </ol>
 * Printed per figure: best and median over the rounds, MB/s (10^6 bytes of the image file per second) and the
 * ratio to its baselines, without and with fsync; the one with fsync is like with like. Targets: the download
 * at least 90 % of curl's throughput; the cold preparation at most 1.05x the pipeline by hand. The HTTP client's
 * read buffer is a JVM-wide setting ({@code jdk.httpclient.bufsize}, see docs/disk-preparation.md), given to
 * this program's JVM by {@code scripts/bench}. A program, not a test: {@code scripts/bench download}.
 */
public final class DownloadBenchmark {
    private static final long MIB = 1L << 20;
    private static final Duration SERVER_START = Duration.ofSeconds(30);

    private final long megabytes;
    private final int rounds;
    private final int warmup;
    private final Path root;
    private final Map<String, List<Long>> nanos = new LinkedHashMap<>();

    private DownloadBenchmark(long megabytes, int rounds, int warmup, Path root) {
        this.megabytes = megabytes;
        this.rounds = rounds;
        this.warmup = warmup;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        long megabytes = 1024;
        int rounds = 5;
        int warmup = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--megabytes" -> megabytes = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --megabytes N, --rounds N, --warmup N)");
            }
        }
        if (megabytes < 8 || rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("--megabytes must be at least 8, --rounds at least 1, --warmup at "
                    + "least 0");
        }
        Path root = Files.createTempDirectory("im-download-bench");
        try {
            new DownloadBenchmark(megabytes, rounds, warmup, root).run();
        } finally {
            deleteTree(root);
        }
    }

    private void run() throws Exception {
        TestImages.requireQemuImg();
        boolean curl = onPath("curl");
        Path served = Files.createDirectories(root.resolve("served"));
        Path image = makeImage(served);
        long bytes = Files.size(image);
        ImageInfo info = QemuImg.onPath().info(image);
        int sizeGiB = (int) ((info.virtualSize() + TestImages.GIB - 1) / TestImages.GIB) + 1;
        System.out.printf(Locale.ROOT, "image: qcow2 of %.1f MiB (virtual %.1f MiB), disk %d GiB, %d rounds after "
                        + "%d untimed downloads, HTTP client buffers of %s bytes (jdk.httpclient.bufsize)%s%n",
                bytes / (double) MIB, info.virtualSize() / (double) MIB, sizeGiB, rounds, warmup,
                System.getProperty("jdk.httpclient.bufsize", "16384 (the JDK's default)"),
                curl ? "" : "; curl is missing, so there is no baseline");
        // Port 0: the server binds a free port and says which, so that no other program can take it in between.
        Process server = new ProcessBuilder("python3", "-u", "-m", "http.server", "--bind", "127.0.0.1",
                "--directory", served.toString(), "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int port = servedPort(server);
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(daemon("bench-watchdog"));
        ExecutorService flusher = Executors.newCachedThreadPool(daemon("bench-flush"));
        try {
            URI url = URI.create("http://127.0.0.1:" + port + "/" + image.getFileName());
            awaitServer(url, server);
            ImageDownloader downloader = new ImageDownloader(DiskPreparer.defaultHttpClient(), watchdog, flusher,
                    Duration.ofSeconds(60), Duration.ofMinutes(5), DiskTestbed.LOOPBACK_MIRROR,
                    HostResolver.system());
            warmUp(downloader, url);
            for (int round = 0; round < rounds; round++) {
                boolean baselineFirst = round % 2 == 0;
                Path work = Files.createDirectories(root.resolve("round-" + round));
                if (baselineFirst && curl) {
                    curlDownload(url, work);
                }
                ourDownload(downloader, url, work);
                if (!baselineFirst && curl) {
                    curlDownload(url, work);
                }
                if (baselineFirst && curl) {
                    byHand(url, work, sizeGiB);
                }
                preparer(url, work, sizeGiB);
                if (!baselineFirst && curl) {
                    byHand(url, work, sizeGiB);
                }
                deleteTree(work);
                System.out.printf(Locale.ROOT, "round %d done%n", round + 1);
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            watchdog.shutdownNow();
            flusher.shutdownNow();
        }
        System.out.println();
        report("download: curl -o", bytes);
        report("download: curl -o + fsync", bytes, "download: curl -o");
        report("download: ImageDownloader", bytes, "download: curl -o", "download: curl -o + fsync");
        report("cold: curl + convert + resize", bytes);
        report("cold: by hand + fsync of both", bytes, "cold: curl + convert + resize");
        report("cold: DiskPreparer", bytes, "cold: curl + convert + resize", "cold: by hand + fsync of both");
        System.out.println();
        System.out.println("targets: ImageDownloader >= 90 % of curl's MB/s (ratio of times <= 1.11); DiskPreparer "
                + "<= 1.05x by hand. Like with like is the baseline with fsync: ImageDownloader and DiskPreparer "
                + "force what they make to disk before they trust it, curl and qemu-img alone do not.");
    }

    /** A qcow2 of about {@code megabytes} MiB from a raw disk of random MiB blocks with a hole every eighth. */
    private Path makeImage(Path folder) throws IOException, InterruptedException {
        long blocks = (megabytes * 8 + 6) / 7;
        Path raw = root.resolve("source.raw");
        byte[] block = new byte[(int) MIB];
        SplittableRandom random = new SplittableRandom(42);
        try (FileChannel out = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long i = 0; i < blocks; i++) {
                if (i % 8 == 7) {
                    continue;
                }
                for (int j = 0; j < block.length; j += 8) {
                    long value = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[j + k] = (byte) (value >>> (8 * k));
                    }
                }
                ByteBuffer buffer = ByteBuffer.wrap(block);
                long at = i * MIB;
                while (buffer.hasRemaining()) {
                    at += out.write(buffer, at);
                }
            }
            out.truncate(blocks * MIB);
            if (out.size() < blocks * MIB) {
                out.write(ByteBuffer.allocate(1), blocks * MIB - 1);
            }
        }
        Path image = folder.resolve("image.qcow2");
        command(List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), image.toString()));
        Files.delete(raw);
        return image;
    }

    private void curlDownload(URI url, Path work) throws Exception {
        Path file = work.resolve("curl.qcow2");
        long start = System.nanoTime();
        command(curl(url, file));
        long downloaded = System.nanoTime() - start;
        force(file);
        long forced = System.nanoTime() - start;
        record("download: curl -o", downloaded);
        record("download: curl -o + fsync", forced);
        Files.delete(file);
    }

    /**
     * Downloads the image untimed: the IM is a long-running process, and the first downloads of a JVM run the
     * HTTP client and SHA-256 before the JIT has compiled them (measured on a busy machine: 1.8 s to read, hash
     * and write the first 256 MiB, 0.3 s for the second).
     */
    private void warmUp(ImageDownloader downloader, URI url) throws Exception {
        Path work = Files.createDirectories(root.resolve("warmup"));
        for (int i = 0; i < warmup; i++) {
            Path file = Files.createFile(work.resolve("warmup-" + i));
            downloader.download(url, file, (done, total) -> { }, () -> false);
            Files.delete(file);
        }
        deleteTree(work);
    }

    private void ourDownload(ImageDownloader downloader, URI url, Path work) throws Exception {
        Path file = Files.createFile(work.resolve("ours.qcow2"));
        long start = System.nanoTime();
        String sha256 = downloader.download(url, file, (bytes, total) -> { }, () -> false);
        record("download: ImageDownloader", System.nanoTime() - start);
        if (sha256.length() != 64) {
            throw new IllegalStateException("no SHA-256: " + sha256);
        }
        Files.delete(file);
    }

    private void byHand(URI url, Path work, int sizeGiB) throws Exception {
        Path downloaded = work.resolve("hand.qcow2");
        Path disk = work.resolve("hand.img");
        long start = System.nanoTime();
        command(curl(url, downloaded));
        command(List.of("qemu-img", "convert", "-f", "qcow2", "-O", "raw", downloaded.toString(), disk.toString()));
        command(List.of("qemu-img", "resize", "-f", "raw", disk.toString(), sizeGiB + "G"));
        record("cold: curl + convert + resize", System.nanoTime() - start);
        force(downloaded);
        force(disk);
        record("cold: by hand + fsync of both", System.nanoTime() - start);
        Files.delete(downloaded);
        Files.delete(disk);
    }

    private void preparer(URI url, Path work, int sizeGiB) throws Exception {
        Path cache = work.resolve("cache");
        DiskPreparerSettings settings = DiskPreparerSettings.defaults(cache)
                .withImageAddresses(DiskTestbed.LOOPBACK_MIRROR);
        try (DiskPreparer preparer = new DiskPreparer(settings, QemuImg.onPath(), DiskPreparer.defaultHttpClient(),
                DiskOwnership.unchanged(), Clock.systemUTC())) {
            DiskPreparationRequest request = new DiskPreparationRequest("bench", new GoldenImageKey("bench", "1"),
                    url, null, work.resolve("job"), sizeGiB);
            long start = System.nanoTime();
            preparer.prepare(request, event -> { }).get(30, TimeUnit.MINUTES);
            record("cold: DiskPreparer", System.nanoTime() - start);
        }
        deleteTree(cache);
        deleteTree(work.resolve("job"));
    }

    private void record(String what, long elapsed) {
        nanos.computeIfAbsent(what, w -> new ArrayList<>()).add(elapsed);
    }

    private void report(String what, long bytes, String... baselines) {
        List<Long> times = nanos.get(what);
        if (times == null) {
            return;
        }
        long best = best(times);
        long median = median(times);
        System.out.printf(Locale.ROOT, "%-32s best %8.3f s %8.1f MB/s   median %8.3f s %8.1f MB/s%n",
                what, best / 1e9, bytes / (best / 1e9) / 1e6, median / 1e9, bytes / (median / 1e9) / 1e6);
        for (String baseline : baselines) {
            List<Long> base = nanos.get(baseline);
            if (base != null) {
                System.out.printf(Locale.ROOT, "%-32s   vs %-30s time ratio best %.2fx median %.2fx, throughput "
                                + "%.0f %% (median)%n", "", baseline, best / (double) best(base),
                        median / (double) median(base), 100.0 * median(base) / median);
            }
        }
    }

    private static long best(List<Long> times) {
        return times.stream().min(Comparator.naturalOrder()).orElseThrow();
    }

    private static long median(List<Long> times) {
        List<Long> sorted = times.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<String> curl(URI url, Path file) {
        return List.of("curl", "-sS", "--fail", "-o", file.toString(), url.toString());
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void command(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * The port from the server's first line ({@code Serving HTTP on 127.0.0.1 port 40123 (...) ...}); what it prints
     * after is read and dropped, so that it never waits on a full pipe.
     */
    private static int servedPort(Process server) throws IOException {
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line = out.readLine();
        java.util.regex.Matcher port = line == null ? null
                : java.util.regex.Pattern.compile(" port (\\d+) ").matcher(line);
        if (port == null || !port.find()) {
            server.destroyForcibly();
            throw new IllegalStateException("python3 -m http.server did not say its port: " + line);
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ended) {
                // the server is gone
            }
        }, "bench-http-server-output");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(port.group(1));
    }

    private static void awaitServer(URI url, Process server) throws Exception {
        long deadline = System.nanoTime() + SERVER_START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("python3 -m http.server ended with " + server.exitValue());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
                connection.setRequestMethod("HEAD");
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("python3 -m http.server did not answer within " + SERVER_START);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
