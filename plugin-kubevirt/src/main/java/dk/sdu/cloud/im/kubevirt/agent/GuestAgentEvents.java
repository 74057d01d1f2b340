package dk.sdu.cloud.im.kubevirt.agent;

/**
 * What the agent endpoint tells of each job's guest agent, for the job's status (its boot stages). Called on
 * the endpoint's threads: quick, and never calling back into the endpoint.
 */
public interface GuestAgentEvents {

    /** Tells nothing to anybody. */
    GuestAgentEvents NONE = new GuestAgentEvents() {
    };

    /**
     * A job's agent authenticated.
     *
     * @param os      the guest's operating system as its {@code hello} said it, or null
     * @param address the guest's address as its {@code hello} said it, or null
     */
    default void connected(String jobId, String os, String address) {
    }

    /** A job's agent reported the outcome of its folders' mounts: the guest is set up. */
    default void mountsReported(String jobId) {
    }

    /** A job's live agent connection ended (not one that a newer connection replaced). */
    default void disconnected(String jobId) {
    }
}
