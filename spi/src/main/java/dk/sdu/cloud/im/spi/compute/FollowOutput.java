package dk.sdu.cloud.im.spi.compute;

/**
 * Where a {@link FollowSession} sends a job's output. Implemented by the host; safe to call from any thread, in
 * order.
 */
public interface FollowOutput {

    /** One log line or data packet. */
    void message(FollowMessage message);

    /**
     * The stream ended on the backend's side (the job ended). Called at most once; the host then sends its final
     * response. Not called after {@link FollowSession#close()}.
     *
     * @param reason a short text for logs
     */
    void ended(String reason);
}
