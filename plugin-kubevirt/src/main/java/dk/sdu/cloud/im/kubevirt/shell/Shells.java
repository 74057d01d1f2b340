package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import static java.util.Objects.requireNonNull;

/**
 * Opens users' shells in VMs ({@link ShellSession}) and ends those still open when the backend closes.
 * The scheduler (which asks agents again while a shell is on the serial console) belongs to the caller.
 */
public final class Shells implements AutoCloseable {
    /** What a user whose shell was still open reads when the IM stops. */
    static final String STOPPING = "the integration module is stopping";

    private final GuestTtys ttys;
    private final SerialConsoles consoles;
    private final ScheduledExecutorService scheduler;
    private final Duration agentTimeout;
    private final Set<ShellSession> open = ConcurrentHashMap.newKeySet();

    /**
     * @param ttys         the agents' TTYs
     * @param consoles     the VMs' serial consoles
     * @param scheduler    runs the retries of the agent while a shell is on the serial console
     * @param agentTimeout how long the agent has to answer before a new shell uses the serial console
     */
    public Shells(GuestTtys ttys, SerialConsoles consoles, ScheduledExecutorService scheduler, Duration agentTimeout) {
        this.ttys = requireNonNull(ttys, "ttys is null");
        this.consoles = requireNonNull(consoles, "consoles is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.agentTimeout = requireNonNull(agentTimeout, "agentTimeout is null");
        if (agentTimeout.isNegative() || agentTimeout.isZero()) {
            throw new IllegalArgumentException("agentTimeout must be positive, got " + agentTimeout);
        }
    }

    /**
     * Opens a shell in a job's VM. Returns at once: the agent is asked in the background, and the serial console
     * opened if it does not answer; what the user sees, notices included, arrives on {@code output}.
     *
     * @param jobId   the job, as its agent knows it
     * @param vmiName the job's VirtualMachineInstance
     */
    public TerminalSession open(String jobId, String vmiName, TerminalSize size, TerminalOutput output) {
        ShellSession session = new ShellSession(jobId, vmiName, size, output, ttys, consoles, scheduler, agentTimeout,
                open::remove);
        open.add(session);
        session.start();
        return session;
    }

    /** The number of shells open now. */
    public int openCount() {
        return open.size();
    }

    /** Ends every shell still open; their users are told the IM is stopping. */
    @Override
    public void close() {
        for (ShellSession session : List.copyOf(open)) {
            session.end(STOPPING);
        }
    }
}
