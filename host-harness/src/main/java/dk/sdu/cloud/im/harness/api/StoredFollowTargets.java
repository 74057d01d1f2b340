package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.follow.FollowTarget;
import dk.sdu.cloud.im.harness.follow.FollowTargets;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.job.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The jobs a follow stream may ask for, as the job store records them: unknown when the store has no (readable)
 * job with the id or no backend runs it; ended when it ended or was terminated; live otherwise.
 */
final class StoredFollowTargets implements FollowTargets {
    private static final Logger LOG = LoggerFactory.getLogger(StoredFollowTargets.class);

    private final JobStore store;
    private final ComputeBackends backends;
    private final JsonMapper json;

    StoredFollowTargets(JobStore store, ComputeBackends backends, JsonMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.json = requireNonNull(json, "json is null");
    }

    @Override
    public FollowTarget find(String jobId) {
        requireNonNull(jobId, "jobId is null");
        Optional<StoredJob> stored = store.find(jobId);
        Optional<Job> job = stored.flatMap(this::jobOf);
        if (job.isEmpty()) {
            return new FollowTarget.Unknown("no job with id '" + jobId + "' is known to this provider");
        }
        Optional<JobIntent> intent = store.intent(jobId);
        if (intent.isPresent() && intent.get().operation() == JobOperation.TERMINATE) {
            return new FollowTarget.Ended("job " + jobId + " was terminated");
        }
        if (stored.get().state().isFinal()) {
            return new FollowTarget.Ended("job " + jobId + " has ended (" + stored.get().state() + ")");
        }
        ComputeBackends.Selection selection = backends.select(job.get());
        if (!selection.found()) {
            return new FollowTarget.Unknown("job " + jobId + " has no backend here: " + selection.problem());
        }
        int machines = job.get().specification() == null ? 1 : Math.max(1, job.get().specification().replicas());
        return new FollowTarget.Live(job.get(), machines, selection.backend());
    }

    private Optional<Job> jobOf(StoredJob stored) {
        try {
            return Optional.of(json.readValue(stored.json(), Job.class));
        } catch (RuntimeException e) {
            LOG.warn("Stored job {} cannot be read as a job", stored.id(), e);
            return Optional.empty();
        }
    }
}
