package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.agent.GuestTty;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtyListener;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.agent.NoGuestAgentException;
import dk.sdu.cloud.im.spi.compute.TerminalSize;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The TTYs of a backend that serves no agent endpoint: no agent is ever connected, so every shell uses the
 * serial console.
 */
public final class NoGuestAgents implements GuestTtys {

    @Override
    public CompletableFuture<GuestTty> open(String jobId, TerminalSize size, Duration timeout,
                                            GuestTtyListener listener) {
        return CompletableFuture.failedFuture(new NoGuestAgentException("no agent endpoint is served"));
    }

    @Override
    public boolean isConnected(String jobId) {
        return false;
    }
}
