package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.store.JobStore;
import dk.sdu.cloud.im.harness.store.JobSummary;
import dk.sdu.cloud.im.harness.store.RecordedUpdate;
import dk.sdu.cloud.im.harness.store.StoredJob;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The harness's own read-only view of its job store, for the CLI ({@code ucloud-im jobs list|show}). */
final class HarnessJobs {
    private final JobStore store;
    private final JsonMapper json;

    HarnessJobs(JobStore store, JsonMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** {@code {"jobs": [{id, state, status, createdAt, updatedAt}]}}, oldest first. */
    Map<String, Object> list() {
        List<Map<String, Object>> jobs = store.list().stream().map(HarnessJobs::summary).toList();
        return Map.of("jobs", jobs);
    }

    /**
     * One job with its last request ({@code {"operation": "SUSPEND", "carriedOut": true}}) and its updates. A job the store does not know but has updates for (see {@link JobStore})
     * is shown with its updates and without {@code job}; a job with neither is 404.
     */
    Map<String, Object> show(String jobId) {
        Optional<StoredJob> job = store.find(jobId);
        List<RecordedUpdate> updates = store.updates(jobId);
        if (job.isEmpty() && updates.isEmpty()) {
            throw new ApiException(404, ApiError.of("no job with id '" + jobId + "' is recorded"));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", jobId);
        job.ifPresent(stored -> {
            result.putAll(summary(stored.summary()));
            store.intent(jobId).ifPresent(intent -> result.put("request", Map.of(
                    "operation", intent.operation().name(), "carriedOut", !intent.pending())));
            result.put("job", jobTree(stored));
        });
        result.put("updates", updates.stream().map(HarnessJobs::update).toList());
        return result;
    }

    private Object jobTree(StoredJob stored) {
        try {
            return json.readTree(stored.json());
        } catch (JacksonException e) {
            return stored.json();
        }
    }

    private static Map<String, Object> summary(JobSummary summary) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", summary.id());
        line.put("state", summary.state().name());
        if (summary.statusMessage() != null) {
            line.put("status", summary.statusMessage());
        }
        line.put("createdAt", summary.createdAt());
        line.put("updatedAt", summary.updatedAt());
        return line;
    }

    private static Map<String, Object> update(RecordedUpdate update) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sequence", update.sequence());
        if (update.state() != null) {
            line.put("state", update.state().name());
        }
        if (update.statusMessage() != null) {
            line.put("status", update.statusMessage());
        }
        line.put("timestamp", update.timestamp());
        line.put("receivedAt", update.receivedAt());
        return line;
    }
}
