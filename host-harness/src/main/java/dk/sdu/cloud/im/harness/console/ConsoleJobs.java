package dk.sdu.cloud.im.harness.console;

import dk.sdu.cloud.im.harness.api.ComputeBackends;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobOperation;
import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.StoredJob;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** The jobs a console may be opened for: known here, not ended or terminated, with a backend that runs them. */
public final class ConsoleJobs {
    /** Job ids a console serves: they become a cookie's path, so only characters that need no escaping there. */
    static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final JobStore store;
    private final ComputeBackends backends;
    private final JsonMapper json;

    /**
     * @param store    the jobs the provider API recorded
     * @param backends the backends that run them
     * @param json     reads a stored job's JSON
     */
    public ConsoleJobs(JobStore store, ComputeBackends backends, JsonMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.backends = requireNonNull(backends, "backends is null");
        this.json = requireNonNull(json, "json is null");
    }

    /**
     * A job whose console may be used, and its backend.
     *
     * @param job     the job as the host recorded it
     * @param backend the backend that runs it
     */
    public record LiveJob(Job job, ComputeBackend backend) {
        public LiveJob {
            requireNonNull(job, "job is null");
            requireNonNull(backend, "backend is null");
        }

        /** The provider the job runs at. */
        public String providerId() {
            return job.specification() == null || job.specification().product() == null ? ""
                    : job.specification().product().provider();
        }
    }

    /** Checks the form of a job id of a console path. @throws ConsoleRefusal 400 when it is not one */
    public static String checkedId(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new ConsoleRefusal(400, "a console's job id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return jobId;
    }

    /**
     * The job, when its console may be used.
     *
     * @throws ConsoleRefusal 400 for a malformed id or a job without a backend here, 404 for an unknown job, 409 for
     *                        one that ended or was terminated
     */
    public LiveJob live(String jobId) {
        checkedId(jobId);
        Optional<StoredJob> stored = store.find(jobId);
        if (stored.isEmpty()) {
            throw new ConsoleRefusal(404, "no job " + jobId + " is known to this provider");
        }
        Optional<JobIntent> intent = store.intent(jobId);
        if (intent.isPresent() && intent.get().operation() == JobOperation.TERMINATE) {
            throw new ConsoleRefusal(409, "job " + jobId + " was terminated");
        }
        if (stored.get().state().isFinal()) {
            throw new ConsoleRefusal(409, "job " + jobId + " has ended (" + stored.get().state() + ")");
        }
        Job job;
        try {
            job = json.readValue(stored.get().json(), Job.class);
        } catch (RuntimeException e) {
            throw new ConsoleRefusal(500, "the stored job " + jobId + " cannot be read as a job: " + e.getMessage());
        }
        ComputeBackends.Selection selection = backends.select(job);
        if (!selection.found()) {
            throw new ConsoleRefusal(400, "job " + jobId + ": " + selection.problem());
        }
        return new LiveJob(job, selection.backend());
    }
}
