package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.compute.TerminalSize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The TTY tokens handed out and not used yet: each 32 random bytes (URL-safe base64), bound to a job, valid
 * for {@link #VALIDITY}, good for one connection. They are kept by their SHA-256, so that looking one up
 * tells nothing about the others by its timing, and the tokens themselves are in no map.
 */
final class TtyTokens {
    static final Duration VALIDITY = Duration.ofSeconds(30);
    private static final int TOKEN_BYTES = 32;

    /** What a token was issued for. */
    record Pending(String jobId, long expiresAtMillis, TerminalSize size, GuestTtyListener listener,
                   CompletableFuture<GuestTty> future) {
    }

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    TtyTokens(Clock clock, SecureRandom random) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** A new token for the job. */
    String issue(String jobId, TerminalSize size, GuestTtyListener listener, CompletableFuture<GuestTty> future) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pending.put(digest(token), new Pending(jobId, clock.millis() + VALIDITY.toMillis(), size, listener, future));
        return token;
    }

    /**
     * Spends a token: it is gone whatever the answer. The request it was issued for, when it was issued for this
     * job, has not expired and is still waiting; else null.
     */
    Pending take(String jobId, String token) {
        Pending found = pending.remove(digest(token));
        if (found == null || !found.jobId().equals(jobId) || clock.millis() >= found.expiresAtMillis()
                || found.future().isDone()) {
            return null;
        }
        return found;
    }

    /** Drops a token that was not used in time. */
    void withdraw(String token) {
        pending.remove(digest(token));
    }

    /** Drops every token of a job (its agent left or the job ended). */
    void withdrawAll(String jobId) {
        pending.values().removeIf(p -> p.jobId().equals(jobId));
    }

    int size() {
        return pending.size();
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
