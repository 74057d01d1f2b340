package dk.sdu.cloud.im.harness.shell;

import dk.sdu.cloud.im.harness.tokens.SingleUseTokens;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The shell sessions handed out and not yet used: single-use identifiers ({@link SingleUseTokens}), good for one
 * websocket connection within {@link #LIFETIME} of being issued, and bound to the job and rank they were issued
 * for.
 */
public final class ShellSessions {
    /** How long an identifier may wait for its websocket. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private final SingleUseTokens<Pending> pending;

    public ShellSessions(Clock clock) {
        this.pending = new SingleUseTokens<>(requireNonNull(clock, "clock is null"), LIFETIME);
    }

    /**
     * A shell the provider API promised and the user has not opened yet.
     *
     * @param job     the job, as the host recorded it
     * @param rank    the machine of the job
     * @param backend the job's compute backend
     */
    public record Pending(Job job, int rank, ComputeBackend backend) {
        public Pending {
            requireNonNull(job, "job is null");
            requireNonNull(backend, "backend is null");
        }
    }

    /** Issues a new identifier for a shell in {@code job}'s machine {@code rank}. */
    public String issue(Job job, int rank, ComputeBackend backend) {
        return pending.issue(new Pending(job, rank, backend));
    }

    /**
     * Uses an identifier up: it is gone afterwards, whatever comes of the connection.
     *
     * @return the shell it was issued for; empty when it is unknown, used or expired
     */
    public Optional<Pending> claim(String identifier) {
        return pending.claim(identifier);
    }

    /** How many identifiers wait for their websocket (expired ones included until the next issue). */
    public int waiting() {
        return pending.waiting();
    }
}
