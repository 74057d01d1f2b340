package dk.sdu.cloud.im.kubevirt.metrics;

import dk.sdu.cloud.im.spi.compute.FollowMessage;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Turns what a guest's metrics service writes into its job's work folder (on the provider file system) into follow
 * messages on UCloud's channels: the chart definitions ({@code ui}), samples ({@code utilization-data}), a new
 * series ({@code utilization-data-reset}) and the guest's summary ({@code kv}). Reads are bounded whatever the guest
 * wrote; new samples are noticed without fast polling.
 */
public interface GuestMetricsFeed {

    /**
     * Starts following one machine's metrics: first what is recent, then each new sample as it is written.
     *
     * @param workFolder the job's work folder ({@code /work} in the guest), resolved on the provider file system
     * @param rank       the machine, for the messages' rank
     * @param sink       where the messages go, in order, from one thread at a time
     * @return what stops the following; closing it twice does nothing
     */
    AutoCloseable follow(Path workFolder, int rank, Consumer<FollowMessage> sink);
}
