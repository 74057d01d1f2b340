package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The IM's side of the guest agent protocol ({@code docs/agent-protocol.md}): the handlers of the control
 * and TTY endpoints, the live agent session of each job (one at a time: a newer one replaces the older), the
 * SSH keys pushed to them, the folders they could not mount, and {@link GuestTtys} for the shell relay.
 *
 * <p>Made by {@link AgentComponents#open}; {@link #close()} ends the sessions and stops its threads.
 */
public final class AgentEndpoint implements GuestTtys, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
    /** The time a peer has for its first frame ({@code hello} or {@code tty}) after the upgrade. */
    public static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    /** How often the IM sends a heartbeat and checks that the agent's came. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** An agent silent for this long is gone. */
    public static final Duration SILENCE_LIMIT = Duration.ofSeconds(5);
    /** The largest frame on either endpoint (the host closes a connection with a larger one with 1009). */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** The close reason of every failed authentication: it never says which part was wrong. */
    static final String AUTHENTICATION_FAILED = "authentication failed";

    private final SecretAgentTokens tokens;
    private final SshKeyDirectory sshKeys;
    private final JobUpdates updates;
    private final Clock clock;
    private final AgentScheduler scheduler;
    private final Executor executor;
    private final AutoCloseable threads;
    private final GuestAgentEvents events;
    private final AuthFailures failures;
    private final TtyTokens ttyTokens;
    private final AgentLogs logs;
    private final Map<String, ControlConnection> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> reportedStarts = new ConcurrentHashMap<>();
    private volatile AutoCloseable keyWatch;

    AgentEndpoint(SecretAgentTokens tokens, SshKeyDirectory sshKeys, JobUpdates updates, Clock clock,
                  AgentScheduler scheduler, Executor executor, SecureRandom random, AutoCloseable threads,
                  GuestAgentEvents events, AgentLogs logs) {
        this.events = requireNonNull(events, "events is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.sshKeys = requireNonNull(sshKeys, "sshKeys is null");
        this.updates = requireNonNull(updates, "updates is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.threads = requireNonNull(threads, "threads is null");
        this.failures = new AuthFailures(clock);
        this.ttyTokens = new TtyTokens(clock, requireNonNull(random, "random is null"));
        this.logs = requireNonNull(logs, "logs is null");
    }

    /** Follows the owners' SSH keys: a change goes to the job's live agent at once. */
    void watchKeys() {
        keyWatch = sshKeys.watch(this::keysChanged);
    }

    /** The handler of control connections ({@code agentEndpoint}). */
    public WebSocketHandler controlHandler() {
        return connection -> {
            ControlConnection control = new ControlConnection(this, connection);
            control.start();
            return control;
        };
    }

    /** The handler of TTY connections ({@code agentEndpoint} + {@code /tty}). */
    public WebSocketHandler ttyHandler() {
        return connection -> {
            TtyConnection tty = new TtyConnection(this, connection);
            tty.start();
            return (WebSocketListener) tty;
        };
    }

    @Override
    public CompletableFuture<GuestTty> open(String jobId, TerminalSize size, Duration timeout,
                                            GuestTtyListener listener) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(size, "size is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(listener, "listener is null");
        ControlConnection session = sessions.get(jobId);
        if (session == null || !session.isLive()) {
            return CompletableFuture.failedFuture(new NoGuestAgentException(
                    "The agent of job " + jobId + " is not connected."));
        }
        CompletableFuture<GuestTty> future = new CompletableFuture<>();
        String token = ttyTokens.issue(jobId, size, listener, future);
        AgentScheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
            ttyTokens.withdraw(token);
            future.completeExceptionally(new NoGuestAgentException("The agent of job " + jobId
                    + " did not open a terminal within " + timeout.toMillis() + " ms."));
        });
        future.whenComplete((tty, failure) -> timer.cancel());
        session.send(AgentFrames.openTty(token));
        return future;
    }

    @Override
    public boolean isConnected(String jobId) {
        ControlConnection session = sessions.get(requireNonNull(jobId, "jobId is null"));
        return session != null && session.isLive();
    }

    /** The job ended: its agent's session closes and what is kept of it is forgotten. */
    public void forget(String jobId) {
        requireNonNull(jobId, "jobId is null");
        ControlConnection session = sessions.remove(jobId);
        if (session != null) {
            session.close(1000, "the job ended");
        }
        tokens.forget(jobId);
        logs.forget(jobId);
        reportedStarts.remove(jobId);
        ttyTokens.withdrawAll(jobId);
    }

    @Override
    public void close() {
        AutoCloseable watch = keyWatch;
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                log.warn("Stopping the SSH key watch failed: {}", e.getMessage());
            }
        }
        sessions.values().forEach(session -> session.close(1001, "the IM stops"));
        sessions.clear();
        try {
            threads.close();
        } catch (Exception e) {
            log.warn("Stopping the agent endpoint's threads failed: {}", e.getMessage());
        }
    }

    // --- for the connections ---

    /** A connection authenticated: it is the job's session now; the one before it is replaced. */
    void live(ControlConnection session) {
        ControlConnection before = sessions.put(session.jobId(), session);
        if (before != null && before != session) {
            before.replaced();
        }
        if (!session.isLive()) {
            sessions.remove(session.jobId(), session);   // it ended while it was being registered
            return;
        }
        events.connected(session.jobId(), session.guestOs(), session.guestAddress());
    }

    /** An authenticated connection ended. */
    void ended(ControlConnection session) {
        if (sessions.remove(session.jobId(), session)) {
            log.info("The agent of job {} disconnected", session.jobId());
            events.disconnected(session.jobId());
        }
    }

    /** The agents' log lines, for the jobs' followers. */
    public GuestLogs logs() {
        return logs;
    }

    /** A job's agent sent log lines. */
    void logged(String jobId, List<String> lines, long dropped) {
        logs.append(jobId, lines, dropped);
    }

    /** The folders an agent start could not mount become job messages, once per start. */
    void mountsReported(String jobId, String startId, List<String> failures) {
        events.mountsReported(jobId);
        if (Objects.equals(reportedStarts.put(jobId, startId), startId)) {
            return;
        }
        failures.forEach(message -> updates.send(jobId, JobUpdate.message(message, clock.millis())));
    }

    private void keysChanged(String jobId) {
        ControlConnection session = jobId == null ? null : sessions.get(jobId);
        if (session != null) {
            later(session::pushKeys);
        }
    }

    /** Runs a lookup on the endpoint's threads; dropped when they stopped (the IM stops). */
    void later(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException stopping) {
            log.debug("The agent endpoint is stopping; a lookup was dropped");
        }
    }

    SecretAgentTokens tokens() {
        return tokens;
    }

    SshKeyDirectory sshKeys() {
        return sshKeys;
    }

    Clock clock() {
        return clock;
    }

    AgentScheduler scheduler() {
        return scheduler;
    }

    AuthFailures failures() {
        return failures;
    }

    TtyTokens ttyTokens() {
        return ttyTokens;
    }
}
