package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.RecordedLabels;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Job updates recorded in the job store, then shown to whoever listens (the demo prints them as they
 * happen). A listener that throws is logged and does not affect the backend that sent the update.
 */
final class ObservedJobUpdates implements JobUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedJobUpdates.class);

    private final JobStore store;
    private final List<Consumer<RecordedUpdate>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> labelListeners = new CopyOnWriteArrayList<>();

    ObservedJobUpdates(JobStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    void addListener(Consumer<RecordedUpdate> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    void removeListener(Consumer<RecordedUpdate> listener) {
        listeners.remove(listener);
    }

    /** Runs {@code listener} after labels were recorded (the outbox's wake). */
    void addLabelListener(Runnable listener) {
        labelListeners.add(requireNonNull(listener, "listener is null"));
    }

    /** What the store holds of the job ({@link JobStore#lastRecorded}). */
    @Override
    public Optional<JobUpdate> lastRecorded(String jobId) {
        return store.lastRecorded(jobId);
    }

    /**
     * Records the labels in the store, whose outbox delivers them to Core, and tells the label listeners.
     */
    @Override
    public void updateLabels(String jobId, Map<String, String> labels) {
        RecordedLabels recorded = store.appendLabels(jobId, labels);
        LOG.info("Job {}: labels {}", jobId, recorded.labels());
        for (Runnable listener : labelListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A job label listener failed on the labels of job {}", jobId, e);
            }
        }
    }

    @Override
    public void send(String jobId, JobUpdate update) {
        RecordedUpdate recorded = store.append(jobId, update);
        LOG.info("Job {}: {}{}", jobId, update.state() == null ? "" : update.state() + " ",
                update.status() == null ? "" : update.status());
        for (Consumer<RecordedUpdate> listener : listeners) {
            try {
                listener.accept(recorded);
            } catch (RuntimeException e) {
                LOG.warn("A job update listener failed on update #{} of job {}", recorded.sequence(), jobId, e);
            }
        }
    }
}
