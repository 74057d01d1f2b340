package dk.sdu.cloud.im.spi.host;

import dk.sdu.cloud.im.spi.job.JobUpdate;

/**
 * Sends job updates towards UCloud/Core ({@code jobs/control.update}). Delivery is the host's concern:
 * an update handed to {@link #send} is not lost when Core is unreachable for a while.
 */
public interface JobUpdates {

    /** Records an update of a job. */
    void send(String jobId, JobUpdate update);
}
