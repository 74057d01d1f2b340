package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.spi.compute.FollowMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One followed work folder: what its followers have been sent (the ring's id, the next sequence number, the last
 * summary) and the reads, all on the folder's own thread, so a slow or hostile folder holds up no other job and
 * each follower gets its messages in order from one thread. Reads are asked for by file-system notifications and
 * by the safety tick, and coalesced: at most one read waits at a time.
 */
final class FolderFollow {
    private static final Logger log = LoggerFactory.getLogger(FolderFollow.class);

    private final Path workFolder;
    private final MetricsFeedSettings settings;
    private final ExecutorService thread;
    private final BiConsumer<WatchKey, FolderFollow> keys;
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private final AtomicBoolean rewatchQueued = new AtomicBoolean();
    // The fields below are touched on `thread` only.
    private final List<Follower> followers = new ArrayList<>();
    private final Set<String> refusalsSaid = new HashSet<>();
    private WatchKey workKey;
    private WatchKey metricsKey;
    private Long ringId;
    private long nextSequence = 1;
    private MetricsFolder.Stamp summaryStamp;
    private String summaryText;

    /**
     * @param thread the folder's own single thread
     * @param keys   told of each watch key registered for this folder
     */
    FolderFollow(Path workFolder, MetricsFeedSettings settings, ExecutorService thread,
                 BiConsumer<WatchKey, FolderFollow> keys) {
        this.workFolder = requireNonNull(workFolder, "workFolder is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.thread = requireNonNull(thread, "thread is null");
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** One follower: its rank and sink; once closed, or once its sink failed, it gets nothing more. */
    static final class Follower {
        private final int rank;
        private final Consumer<FollowMessage> sink;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean failed;

        Follower(int rank, Consumer<FollowMessage> sink) {
            this.rank = rank;
            this.sink = requireNonNull(sink, "sink is null");
        }

        /** Closes it; true the first time. */
        boolean close() {
            return closed.compareAndSet(false, true);
        }

        void send(FollowMessage message) {
            if (closed.get() || failed) {
                return;
            }
            try {
                sink.accept(message);
            } catch (RuntimeException e) {
                // Not closed: its owner still closes it, which is what lets the folder go.
                log.warn("metrics follower's sink failed; it gets nothing more: {}", e.toString());
                failed = true;
            }
        }
    }

    /** Path of the work folder followed. */
    Path workFolder() {
        return workFolder;
    }

    /** Adds a follower: the charts, the recent samples and the summary first, then what comes. */
    void attach(Follower follower, WatchService watches) {
        run(() -> {
            watch(watches);
            read();
            sendInitial(follower);
            followers.add(follower);
        });
    }

    void detach(Follower follower) {
        run(() -> followers.remove(follower));
    }

    /** Something in the metrics folder changed: read (coalesced). */
    void changed() {
        if (readQueued.compareAndSet(false, true)) {
            run(() -> {
                readQueued.set(false);
                read();
            });
        }
    }

    /** The safety tick, or the metrics folder appeared: watch it if not yet, and read. */
    void rewatchAndRead(WatchService watches) {
        if (rewatchQueued.compareAndSet(false, true)) {
            run(() -> {
                rewatchQueued.set(false);
                watch(watches);
                read();
            });
        }
    }

    /** Ends the folder's watches and thread; the files stay. */
    void stop() {
        run(() -> {
            cancel(workKey);
            cancel(metricsKey);
            followers.clear();
        });
        thread.shutdown();
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopped) {
            log.debug("metrics of {}: stopped; a task is dropped", workFolder);
        }
    }

    private void watch(WatchService watches) {
        if (watches == null) {
            return;
        }
        try {
            if ((workKey == null || !workKey.isValid()) && Files.isDirectory(workFolder)) {
                workKey = workFolder.register(watches, StandardWatchEventKinds.ENTRY_CREATE);
                keys.accept(workKey, this);
            }
            Path metrics = workFolder.resolve(MetricsFileFormat.FOLDER);
            // Registering follows a link; only a real folder is watched (reads never follow links anyway).
            if ((metricsKey == null || !metricsKey.isValid()) && Files.isDirectory(metrics, LinkOption.NOFOLLOW_LINKS)) {
                metricsKey = metrics.register(watches, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                keys.accept(metricsKey, this);
            }
        } catch (IOException e) {
            log.debug("metrics of {}: cannot watch: {}", workFolder, e.toString());
        }
    }

    private static void cancel(WatchKey key) {
        if (key != null) {
            key.cancel();
        }
    }

    private void read() {
        Optional<MetricsFolder> opened;
        try {
            opened = MetricsFolder.open(workFolder);
        } catch (MetricsFileException e) {
            refused(e.getMessage());
            return;
        } catch (IOException e) {
            log.debug("metrics of {}: cannot open the folder: {}", workFolder, e.toString());
            return;
        }
        if (opened.isEmpty()) {
            return;
        }
        try (MetricsFolder folder = opened.get()) {
            readRing(folder);
            readSummary(folder);
        } catch (IOException e) {
            log.debug("metrics of {}: {}", workFolder, e.toString());
        }
    }

    private void readRing(MetricsFolder folder) {
        try {
            Optional<MetricsFolder.OpenRing> opened = folder.openRing(settings.maxRingBytes());
            if (opened.isEmpty()) {
                return;
            }
            try (MetricsFolder.OpenRing ring = opened.get()) {
                long id = ring.reader().header().ringId();
                List<Sample> samples;
                if (ringId != null && ringId == id) {
                    samples = ring.reader().from(nextSequence);
                } else {
                    if (ringId != null) {
                        followers.forEach(f -> f.send(MetricsMessages.reset(f.rank)));
                    }
                    ringId = id;
                    nextSequence = 1;
                    samples = last(ring.reader().all(), settings.backlog());
                }
                for (Sample sample : samples) {
                    followers.forEach(f -> f.send(MetricsMessages.row(f.rank, sample)));
                }
                if (!samples.isEmpty()) {
                    nextSequence = samples.get(samples.size() - 1).sequence() + 1;
                }
            }
        } catch (MetricsFileException e) {
            refused(MetricsFileFormat.RING_FILE + ": " + e.getMessage());
        } catch (IOException e) {
            log.debug("metrics of {}: cannot read the ring: {}", workFolder, e.toString());
        }
    }

    private void readSummary(MetricsFolder folder) {
        try {
            Optional<MetricsFolder.Stamp> stamp = folder.summaryStamp(settings.maxSummaryBytes());
            if (stamp.isEmpty() || stamp.get().equals(summaryStamp)) {
                return;
            }
            Optional<byte[]> bytes = folder.readSummary(settings.maxSummaryBytes());
            summaryStamp = stamp.get();
            if (bytes.isEmpty()) {
                return;
            }
            String text = MetricsMessages.summaryText(bytes.get());
            if (!text.equals(summaryText)) {
                summaryText = text;
                followers.forEach(f -> f.send(MetricsMessages.kv(f.rank, text)));
            }
        } catch (MetricsFileException e) {
            refused(MetricsFileFormat.SUMMARY_FILE + ": " + e.getMessage());
        } catch (IOException e) {
            log.debug("metrics of {}: cannot read the summary: {}", workFolder, e.toString());
        }
    }

    private void sendInitial(Follower follower) {
        List<Sample> backlog = List.of();
        try {
            Optional<MetricsFolder> opened = MetricsFolder.open(workFolder);
            if (opened.isPresent()) {
                try (MetricsFolder folder = opened.get()) {
                    Optional<MetricsFolder.OpenRing> ring = folder.openRing(settings.maxRingBytes());
                    if (ring.isPresent()) {
                        try (MetricsFolder.OpenRing open = ring.get()) {
                            if (ringId != null && open.reader().header().ringId() == ringId) {
                                backlog = last(open.reader().all().stream()
                                        .filter(s -> s.sequence() < nextSequence).toList(), settings.backlog());
                            }
                        }
                    }
                }
            }
        } catch (MetricsFileException e) {
            refused(e.getMessage());
        } catch (IOException e) {
            log.debug("metrics of {}: cannot read the recent samples: {}", workFolder, e.toString());
        }
        Optional<Sample> latest = backlog.isEmpty() ? Optional.empty() : Optional.of(backlog.get(backlog.size() - 1));
        MetricsMessages.charts(follower.rank, latest).forEach(follower::send);
        backlog.forEach(sample -> follower.send(MetricsMessages.row(follower.rank, sample)));
        if (summaryText != null) {
            follower.send(MetricsMessages.kv(follower.rank, summaryText));
        }
    }

    private void refused(String why) {
        if (refusalsSaid.add(why)) {
            log.warn("metrics of {}: not read: {}", workFolder, why);
        }
    }

    private static List<Sample> last(List<Sample> samples, int count) {
        return samples.subList(Math.max(0, samples.size() - count), samples.size());
    }
}
