package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.spi.compute.FollowMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The metrics of a guest as its metrics service writes them into the job's work folder (docs/metrics-format.md),
 * read with bounds and refusals of its own (see {@link MetricsFolder}) and turned into UCloud's follow messages.
 *
 * <p>New samples are noticed through one {@link WatchService} shared by all folders (inotify on Linux), and, for file
 * systems that do not notify (NFS), by a safety read every {@link MetricsFeedSettings#safetyInterval()}. Each
 * followed folder has one reader thread, shared by its followers, and stops with its last follower. The registry of
 * folders is the only state shared by all jobs; nothing under its lock does I/O.
 */
public final class WorkFolderMetricsFeed implements GuestMetricsFeed, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkFolderMetricsFeed.class);

    private final ScheduledExecutorService scheduler;
    private final ThreadFactory threads;
    private final MetricsFeedSettings settings;
    private final Map<WatchKey, FolderFollow> keys = new ConcurrentHashMap<>();
    private final Map<Path, Entry> folders = new HashMap<>(); // guarded by this
    private final Object watchLock = new Object();
    private WatchService watches;                             // guarded by watchLock
    private boolean closed;                                   // guarded by watchLock

    private static final class Entry {
        final FolderFollow folder;
        final ScheduledFuture<?> safety;
        int followers;

        Entry(FolderFollow folder, ScheduledFuture<?> safety) {
            this.folder = folder;
            this.safety = safety;
        }
    }

    /**
     * @param scheduler runs the safety reads (the folder's thread does the reading)
     * @param threads   makes each followed folder's reader thread and the notification thread
     * @param settings  bounds and the safety interval
     */
    public WorkFolderMetricsFeed(ScheduledExecutorService scheduler, ThreadFactory threads, MetricsFeedSettings settings) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.threads = requireNonNull(threads, "threads is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public AutoCloseable follow(Path workFolder, int rank, Consumer<FollowMessage> sink) {
        requireNonNull(workFolder, "workFolder is null");
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be 0 or more, got " + rank);
        }
        Path folderPath = workFolder.toAbsolutePath().normalize();
        var follower = new FolderFollow.Follower(rank, sink);
        WatchService watchService = watchService();
        Entry entry;
        synchronized (this) {
            entry = folders.get(folderPath);
            if (entry == null) {
                var folder = new FolderFollow(folderPath, settings, Executors.newSingleThreadExecutor(threads), keys::put);
                ScheduledFuture<?> safety;
                try {
                    long period = settings.safetyInterval().toNanos();
                    safety = scheduler.scheduleWithFixedDelay(() -> folder.rewatchAndRead(watchService), period, period,
                            TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopping) {
                    safety = null;
                }
                entry = new Entry(folder, safety);
                folders.put(folderPath, entry);
            }
            entry.followers++;
        }
        entry.folder.attach(follower, watchService);
        Entry followed = entry;
        return () -> {
            if (!follower.close()) {
                return;
            }
            boolean last;
            synchronized (this) {
                last = --followed.followers == 0;
                if (last) {
                    folders.remove(folderPath, followed);
                }
            }
            followed.folder.detach(follower);
            if (last) {
                if (followed.safety != null) {
                    followed.safety.cancel(false);
                }
                followed.folder.stop();
                keys.values().removeIf(f -> f == followed.folder);
            }
        };
    }

    /** The number of folders followed now (for tests and status). */
    public synchronized int followedFolders() {
        return folders.size();
    }

    // Made at the first follow, so that constructing the feed does no I/O. Null when it cannot be had (then only the
    // safety reads notice samples).
    private WatchService watchService() {
        synchronized (watchLock) {
            if (watches == null && !closed && settings.notifications()) {
                try {
                    watches = FileSystems.getDefault().newWatchService();
                    WatchService service = watches;
                    Thread dispatcher = threads.newThread(() -> dispatch(service));
                    dispatcher.start();
                } catch (IOException e) {
                    log.warn("metrics: no file-system notifications ({}); samples arrive with the safety reads only, "
                            + "every {}", e.toString(), settings.safetyInterval());
                }
            }
            return watches;
        }
    }

    private void dispatch(WatchService service) {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            FolderFollow folder = keys.get(key);
            if (folder != null) {
                boolean workFolderKey = folder.workFolder().equals(key.watchable());
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (!workFolderKey) {
                        folder.changed();
                    } else if (event.kind() == StandardWatchEventKinds.OVERFLOW
                            || Path.of(MetricsFileFormat.FOLDER).equals(event.context())) {
                        folder.rewatchAndRead(service);
                    }
                }
            } else {
                key.pollEvents();
            }
            if (!key.reset()) {
                keys.remove(key);
            }
        }
    }

    /** Stops every folder's reads and the notifications; for the IM's shutdown. */
    @Override
    public void close() throws IOException {
        Map<Path, Entry> stopping;
        synchronized (this) {
            stopping = new HashMap<>(folders);
            folders.clear();
        }
        stopping.values().forEach(entry -> {
            if (entry.safety != null) {
                entry.safety.cancel(false);
            }
            entry.folder.stop();
        });
        synchronized (watchLock) {
            closed = true;
            if (watches != null) {
                watches.close();
            }
        }
    }
}
