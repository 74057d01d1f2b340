package dk.sdu.cloud.im.harness.services;

import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * SSH keys of job owners, read from a directory that stands in for Core's key service: the file
 * {@code <directory>/<job id>.pub} holds the keys that may log in to that job, in {@code authorized_keys}
 * format (one key per line; blank lines and lines starting with {@code #} are skipped). No file means no
 * keys. The file is read at every call, so keys added later are seen.
 *
 * <p>{@link #watch} tells a listener when a job's file is created, changed or deleted (the JDK's
 * {@link WatchService} on the directory, which it creates when missing). When the watch service lost events
 * (overflow), every job with a file now is reported. {@link #close()} ends every watch.
 */
public final class DirectorySshKeyDirectory implements SshKeyDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySshKeyDirectory.class);
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String SUFFIX = ".pub";

    private final Path directory;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

    public DirectorySshKeyDirectory(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** The file holding a job's keys. */
    public Path fileOf(String jobId) {
        requireNonNull(jobId, "jobId is null");
        if (!JOB_ID.matcher(jobId).matches() || jobId.equals("..")) {
            throw new IllegalArgumentException("not a job id usable as a file name: '" + jobId + "'");
        }
        return directory.resolve(jobId + SUFFIX);
    }

    @Override
    public List<String> authorizedKeys(String jobId) {
        Path file = fileOf(jobId);
        try {
            return Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the SSH keys of job " + jobId + " from " + file, e);
        }
    }

    /**
     * Watches the directory on a daemon thread; the listener gets the job's id of every {@code <job id>.pub}
     * created, changed or deleted.
     *
     * @throws UncheckedIOException when the directory cannot be created or watched
     */
    @Override
    public AutoCloseable watch(Consumer<String> listener) {
        requireNonNull(listener, "listener is null");
        WatchService service;
        try {
            Files.createDirectories(directory);
            service = directory.getFileSystem().newWatchService();
            try {
                directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            } catch (IOException | RuntimeException e) {
                service.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch the SSH key directory " + directory, e);
        }
        Watch watch = new Watch(service, listener);
        watches.add(watch);
        Thread thread = new Thread(watch::run, "ssh-key-watch");
        thread.setDaemon(true);
        thread.start();
        return watch::close;
    }

    /** Ends every watch. */
    @Override
    public void close() {
        for (Watch watch : List.copyOf(watches)) {
            watch.close();
        }
    }

    private static Optional<String> jobIdOf(Path name) {
        String file = name.getFileName().toString();
        if (!file.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String id = file.substring(0, file.length() - SUFFIX.length());
        return JOB_ID.matcher(id).matches() && !id.equals("..") ? Optional.of(id) : Optional.empty();
    }

    /** One listener's watch. */
    private final class Watch {
        private final WatchService service;
        private final Consumer<String> listener;

        Watch(WatchService service, Consumer<String> listener) {
            this.service = service;
            this.listener = listener;
        }

        void run() {
            try {
                while (true) {
                    WatchKey key = service.take();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            everyJob();
                        } else if (event.context() instanceof Path name) {
                            jobIdOf(name).ifPresent(this::tell);
                        }
                    }
                    if (!key.reset()) {
                        LOG.warn("The SSH key directory {} can no longer be watched (was it deleted?)", directory);
                        return;
                    }
                }
            } catch (ClosedWatchServiceException e) {
                // closed: the watch ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                watches.remove(this);
            }
        }

        private void everyJob() {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
                for (Path file : files) {
                    jobIdOf(file.getFileName()).ifPresent(this::tell);
                }
            } catch (IOException e) {
                LOG.warn("Cannot list the SSH key directory {} after lost change events", directory, e);
            }
        }

        private void tell(String jobId) {
            try {
                listener.accept(jobId);
            } catch (RuntimeException e) {
                LOG.warn("An SSH key listener failed for job {}", jobId, e);
            }
        }

        void close() {
            watches.remove(this);
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("Closing an SSH key watch failed", e);
            }
        }
    }
}
