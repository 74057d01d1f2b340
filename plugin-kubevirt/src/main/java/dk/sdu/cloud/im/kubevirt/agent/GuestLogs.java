package dk.sdu.cloud.im.kubevirt.agent;

import java.util.function.Consumer;

/** The log lines jobs' guest agents send (the control connection's {@code log} frames), for a job's followers. */
public interface GuestLogs {

    /**
     * Follows a job's agent log: first the recent lines kept, then each new line as it comes (also across the
     * agent's reconnects, and before its first connection).
     *
     * @param lines where the lines go, in order, one at a time; must not wait on a peer
     * @return what stops the following; closing it twice does nothing
     */
    AutoCloseable follow(String jobId, Consumer<String> lines);
}
