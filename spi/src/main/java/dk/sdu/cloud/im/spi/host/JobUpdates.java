package dk.sdu.cloud.im.spi.host;

import dk.sdu.cloud.im.spi.job.JobUpdate;

import java.util.Map;
import java.util.Optional;

/**
 * Sends job updates towards UCloud/Core ({@code jobs/control.update}). Delivery is the host's concern:
 * an update handed to {@link #send} is not lost when Core is unreachable for a while.
 */
public interface JobUpdates {

    /** Records an update of a job. */
    void send(String jobId, JobUpdate update);

    /**
     * What Core has recorded of a job so far, as far as the host can tell: {@code state} is the latest state
     * recorded (null when none), {@code status} the latest status message (null when none), {@code timestamp}
     * the time of the latest update. A backend that starts again after a restart compares what it sees with
     * this, so that it sends only what changed while it was away.
     *
     * <p>The default knows nothing ({@link Optional#empty()}); a backend then sends each job's current state
     * once after a restart. A host that keeps the updates it was handed (e.g. in a job store) should answer
     * from them.
     */
    default Optional<JobUpdate> lastRecorded(String jobId) {
        return Optional.empty();
    }

    /**
     * Sets labels of a job at Core ({@code jobs/control.updateLabels}), e.g. {@code ucloud.dk/service-ip-address};
     * labels not named keep their values. Delivered like {@link #send}: not lost while Core is unreachable.
     *
     * @throws HostServiceUnavailableException when this host cannot deliver labels (the default)
     */
    default void updateLabels(String jobId, Map<String, String> labels) {
        throw new HostServiceUnavailableException("this host does not deliver job labels to Core (asked for "
                + labels.keySet() + " of job " + jobId + ")", null);
    }
}
