package dk.sdu.cloud.im.harness.shell;

import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.job.Job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The shell sessions handed out and not yet used. An identifier is 32 random bytes (URL-safe base64 without
 * padding), good for one websocket connection within {@link #LIFETIME} of being issued, and bound to the job and
 * rank it was issued for. Only a hash of it is kept, so a lookup's timing says nothing about identifiers.
 */
public final class ShellSessions {
    /** How long an identifier may wait for its websocket. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int IDENTIFIER_BYTES = 32;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public ShellSessions(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A shell the provider API promised and the user has not opened yet.
     *
     * @param job       the job, as the host recorded it
     * @param rank      the machine of the job
     * @param backend   the job's compute backend
     * @param expiresAt when the identifier stops being good
     */
    public record Pending(Job job, int rank, ComputeBackend backend, Instant expiresAt) {
        public Pending {
            requireNonNull(job, "job is null");
            requireNonNull(backend, "backend is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    /** Issues a new identifier for a shell in {@code job}'s machine {@code rank}. */
    public String issue(Job job, int rank, ComputeBackend backend) {
        Instant now = clock.instant();
        // Identifiers nobody used are dropped here, so they cannot pile up.
        pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        byte[] bytes = new byte[IDENTIFIER_BYTES];
        random.nextBytes(bytes);
        String identifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pending.put(hash(identifier), new Pending(job, rank, backend, now.plus(LIFETIME)));
        return identifier;
    }

    /**
     * Uses an identifier up: it is gone afterwards, whatever comes of the connection.
     *
     * @return the shell it was issued for; empty when it is unknown, used or expired
     */
    public Optional<Pending> claim(String identifier) {
        if (identifier == null || identifier.isEmpty() || identifier.length() > 128) {
            return Optional.empty();
        }
        Pending claimed = pending.remove(hash(identifier));
        if (claimed == null || !clock.instant().isBefore(claimed.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(claimed);
    }

    /** How many identifiers wait for their websocket (expired ones included until the next issue). */
    public int waiting() {
        return pending.size();
    }

    private static String hash(String identifier) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(identifier.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
