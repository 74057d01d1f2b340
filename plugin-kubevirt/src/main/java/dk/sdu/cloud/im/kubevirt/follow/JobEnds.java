package dk.sdu.cloud.im.kubevirt.follow;

import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The job updates the backend sends, passed on to the host's {@link JobUpdates}, noticing which jobs end: a
 * final state sent for a job (the VM succeeded or failed, or the job was terminated) tells the job's listeners,
 * so its follow streams end when Core learns that the job did, not earlier and not by polling.
 */
public final class JobEnds implements JobUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(JobEnds.class);

    private final JobUpdates updates;
    private final Map<String, Set<Consumer<String>>> listeners = new ConcurrentHashMap<>();

    /** @param updates where the updates go */
    public JobEnds(JobUpdates updates) {
        this.updates = requireNonNull(updates, "updates is null");
    }

    @Override
    public void send(String jobId, JobUpdate update) {
        updates.send(jobId, update);
        if (update != null && update.state() != null && update.state().isFinal()) {
            ended(jobId, "the job ended (" + update.state() + ")");
        }
    }

    @Override
    public Optional<JobUpdate> lastRecorded(String jobId) {
        return updates.lastRecorded(jobId);
    }

    @Override
    public void updateLabels(String jobId, java.util.Map<String, String> labels) {
        updates.updateLabels(jobId, labels);
    }

    /**
     * Calls {@code onEnd} with a reason when the job ends, once.
     *
     * @return what stops listening
     */
    public AutoCloseable listen(String jobId, Consumer<String> onEnd) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(onEnd, "onEnd is null");
        listeners.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(onEnd);
        return () -> listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(onEnd);
            return set.isEmpty() ? null : set;
        });
    }

    /** The job ended: every listener hears it, and is forgotten. */
    public void ended(String jobId, String reason) {
        Set<Consumer<String>> ending = listeners.remove(requireNonNull(jobId, "jobId is null"));
        if (ending == null) {
            return;
        }
        for (Consumer<String> listener : ending) {
            try {
                listener.accept(reason);
            } catch (RuntimeException e) {
                LOG.warn("A listener of the end of job {} failed", jobId, e);
            }
        }
    }
}
