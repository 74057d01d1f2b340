package dk.sdu.cloud.im.harness.services;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * Job updates logged and kept in memory, in the order sent. They are lost when the process ends: this
 * stands in for Core until the harness has its job store.
 */
public final class InMemoryJobUpdates implements JobUpdates {
    private static final Logger log = LoggerFactory.getLogger(InMemoryJobUpdates.class);

    private final Map<String, List<JobUpdate>> updates = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, String>>> labels = new ConcurrentHashMap<>();

    @Override
    public void send(String jobId, JobUpdate update) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(update, "update is null");
        updates.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(update);
        log.info("job {}: state {}, status {}", jobId, update.state() == null ? "unchanged" : update.state(),
                update.status() == null ? "-" : update.status());
    }

    /** The latest state and the latest message sent for a job, and the time of its last update. */
    @Override
    public Optional<JobUpdate> lastRecorded(String jobId) {
        List<JobUpdate> sent = updatesOf(jobId);
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        JobState state = null;
        String message = null;
        for (JobUpdate update : sent) {
            state = update.state() == null ? state : update.state();
            message = update.status() == null ? message : update.status();
        }
        return Optional.of(new JobUpdate(state, message, sent.get(sent.size() - 1).timestamp()));
    }

    /** Keeps the labels, each call's in order ({@link #labelsOf}). */
    @Override
    public void updateLabels(String jobId, Map<String, String> labels) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(labels, "labels is null");
        this.labels.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(Map.copyOf(labels));
        log.info("job {}: labels {}", jobId, labels);
    }

    /** The labels set for a job so far, one map per call, oldest first. */
    public List<Map<String, String>> labelsOf(String jobId) {
        return List.copyOf(labels.getOrDefault(jobId, List.of()));
    }

    /** The updates sent for a job so far, oldest first. */
    public List<JobUpdate> updatesOf(String jobId) {
        return List.copyOf(updates.getOrDefault(jobId, List.of()));
    }
}
