package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.compute.TerminalSize;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Opens terminals through the agents of running guests: the seam between the agent endpoint (which owns the
 * agents' sessions) and the shell relay (which owns the user's side).
 */
public interface GuestTtys {

    /**
     * Asks a job's agent for a TTY connection and starts a login shell of the given size in it.
     *
     * @param jobId    the job
     * @param size     the terminal size the shell starts with
     * @param timeout  how long to wait for the agent to dial back
     * @param listener where the shell's output and its end go, once the future completed
     * @return completes with the terminal once the agent dialled back and was sent {@code initialize};
     *         completes exceptionally with {@link NoGuestAgentException} when no agent of that job is
     *         connected or it did not dial back within the timeout
     */
    CompletableFuture<GuestTty> open(String jobId, TerminalSize size, Duration timeout, GuestTtyListener listener);

    /** Whether an authenticated agent of the job is connected now. */
    boolean isConnected(String jobId);
}
