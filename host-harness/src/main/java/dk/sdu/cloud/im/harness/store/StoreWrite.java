package dk.sdu.cloud.im.harness.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dk.sdu.cloud.im.spi.job.JobState;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One write of the job store, as its journal keeps it ({@link StoreWriteCodec}): everything applying it needs,
 * including the store's clock reading when it was accepted, so that applying it again after a crash gives the
 * very same result. The names in the JSON are the journal's format: rename nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "write")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StoreWrite.SaveJobs.class, name = "saveJobs"),
        @JsonSubTypes.Type(value = StoreWrite.Requests.class, name = "requests"),
        @JsonSubTypes.Type(value = StoreWrite.CarriedOut.class, name = "carriedOut"),
        @JsonSubTypes.Type(value = StoreWrite.Update.class, name = "update"),
        @JsonSubTypes.Type(value = StoreWrite.Delivery.class, name = "delivery"),
        @JsonSubTypes.Type(value = StoreWrite.ReplaceJob.class, name = "replaceJob"),
        @JsonSubTypes.Type(value = StoreWrite.Labels.class, name = "labels"),
        @JsonSubTypes.Type(value = StoreWrite.LabelDelivery.class, name = "labelDelivery")
})
sealed interface StoreWrite {

    /** {@link JobStore#saveAll}, at {@code at} (milliseconds since the epoch). */
    record SaveJobs(List<JobSubmission> jobs, long at) implements StoreWrite {
        public SaveJobs {
            jobs = List.copyOf(requireNonNull(jobs, "jobs is null"));
        }
    }

    /** {@link JobStore#recordRequests}. */
    record Requests(List<String> jobIds, JobOperation operation) implements StoreWrite {
        public Requests {
            jobIds = List.copyOf(requireNonNull(jobIds, "jobIds is null"));
            requireNonNull(operation, "operation is null");
        }
    }

    /** {@link JobStore#markCarriedOut}. */
    record CarriedOut(String jobId, long revision, boolean started) implements StoreWrite {
        public CarriedOut {
            requireNonNull(jobId, "jobId is null");
        }
    }

    /** {@link JobStore#append}, received at {@code receivedAt} (milliseconds since the epoch). */
    record Update(String jobId, JobState state, String status, long timestamp, long receivedAt)
            implements StoreWrite {
        public Update {
            JobIds.check(jobId);
        }
    }

    /**
     * {@link JobStore#markDelivered}, {@link JobStore#markDropped}, {@link JobStore#markRefused}: the outcome of
     * delivering recorded updates to Core.
     */
    record Delivery(List<UpdateId> updates, DeliveryState outcome) implements StoreWrite {
        public Delivery {
            updates = List.copyOf(requireNonNull(updates, "updates is null"));
            requireNonNull(outcome, "outcome is null");
            if (outcome == DeliveryState.PENDING) {
                throw new IllegalArgumentException("a delivery's outcome is not " + outcome);
            }
        }
    }

    /** {@link JobStore#replaceJob}: a recorded job's document, as a resource attached or detached left it. */
    record ReplaceJob(String jobId, String json) implements StoreWrite {
        public ReplaceJob {
            requireNonNull(jobId, "jobId is null");
            requireNonNull(json, "json is null");
        }
    }

    /** {@link JobStore#appendLabels}, received at {@code receivedAt} (milliseconds since the epoch). */
    record Labels(String jobId, Map<String, String> labels, long receivedAt) implements StoreWrite {
        public Labels {
            JobIds.check(jobId);
            labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        }
    }

    /** {@link JobStore#markLabels}: the outcome of delivering recorded labels to Core. */
    record LabelDelivery(List<Long> labels, DeliveryState outcome) implements StoreWrite {
        public LabelDelivery {
            labels = List.copyOf(requireNonNull(labels, "labels is null"));
            requireNonNull(outcome, "outcome is null");
            if (outcome == DeliveryState.PENDING) {
                throw new IllegalArgumentException("a delivery's outcome is not " + outcome);
            }
        }
    }
}
