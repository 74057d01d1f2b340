package dk.sdu.cloud.im.harness.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Labels of a job as the store recorded them on their way to Core ({@code jobs/control.updateLabels}).
 *
 * @param id         which record this is, to mark its delivery ({@link JobStore#markLabels}); ascending in the
 *                   order labels were recorded, across jobs
 * @param jobId      the job they belong to
 * @param labels     the labels set (others keep their values at Core)
 * @param receivedAt when the store recorded them, milliseconds since the epoch
 */
public record RecordedLabels(long id, String jobId, Map<String, String> labels, long receivedAt) {
    public RecordedLabels {
        requireNonNull(jobId, "jobId is null");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(labels, "labels is null")));
    }
}
