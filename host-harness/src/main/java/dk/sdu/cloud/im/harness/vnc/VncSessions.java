package dk.sdu.cloud.im.harness.vnc;

import dk.sdu.cloud.im.harness.tokens.SingleUseTokens;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The screens handed out and not yet opened: single-use tokens ({@link SingleUseTokens}), good for one websocket
 * connection within {@link #LIFETIME} of being issued, and bound to the job, rank and backend they were issued
 * for. The token travels in a URL (the viewer's address), so it lives only as long as a browser needs to open it.
 */
public final class VncSessions {
    /** How long a token may wait for its websocket. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    private final SingleUseTokens<Pending> pending;

    public VncSessions(Clock clock) {
        this.pending = new SingleUseTokens<>(requireNonNull(clock, "clock is null"), LIFETIME);
    }

    /**
     * A screen the provider API promised and the user has not opened yet.
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

    /** Issues a new token for the screen of {@code job}'s machine {@code rank}. */
    public String issue(Job job, int rank, ComputeBackend backend) {
        return pending.issue(new Pending(job, rank, backend));
    }

    /**
     * Uses a token up: it is gone afterwards, whatever comes of the connection.
     *
     * @return the screen it was issued for; empty when it is unknown, used or expired
     */
    public Optional<Pending> claim(String token) {
        return pending.claim(token);
    }

    /** Whether a token could be claimed now; does not use it up (the check before the websocket upgrade). */
    public boolean isWaiting(String token) {
        return pending.isWaiting(token);
    }

    /** How many tokens wait for their websocket (expired ones included until the next issue). */
    public int waiting() {
        return pending.waiting();
    }
}
