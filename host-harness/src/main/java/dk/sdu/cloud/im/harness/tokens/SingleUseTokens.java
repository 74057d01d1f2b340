package dk.sdu.cloud.im.harness.tokens;

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
 * Tokens handed out and not yet used, each standing for a value (what it opens). A token is 32 random bytes
 * (URL-safe base64 without padding), good for one claim within the store's lifetime of being issued. Only a hash of
 * it is kept, so a lookup's timing says nothing about tokens, and a memory dump shows none.
 *
 * @param <T> what a token opens
 */
public final class SingleUseTokens<T> {
    /** The longest token looked up; longer ones are refused without hashing them. */
    static final int MAX_TOKEN_CHARS = 128;
    private static final int TOKEN_BYTES = 32;

    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry<T>> pending = new ConcurrentHashMap<>();

    private record Entry<T>(T value, Instant expiresAt) {
    }

    /**
     * @param clock    when tokens expire
     * @param lifetime how long a token may wait for its claim; positive
     */
    public SingleUseTokens(Clock clock, Duration lifetime) {
        this.clock = requireNonNull(clock, "clock is null");
        this.lifetime = requireNonNull(lifetime, "lifetime is null");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive, got " + lifetime);
        }
    }

    /** How long a token may wait for its claim. */
    public Duration lifetime() {
        return lifetime;
    }

    /** Issues a new token for {@code value}. */
    public String issue(T value) {
        requireNonNull(value, "value is null");
        Instant now = clock.instant();
        // Tokens nobody used are dropped here, so they cannot pile up.
        pending.values().removeIf(e -> !now.isBefore(e.expiresAt()));
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        pending.put(hash(token), new Entry<>(value, now.plus(lifetime)));
        return token;
    }

    /**
     * Uses a token up: it is gone afterwards, whatever comes of it.
     *
     * @return what it was issued for; empty when it is unknown, used or expired
     */
    public Optional<T> claim(String token) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        Entry<T> claimed = pending.remove(hash(token));
        if (claimed == null || !clock.instant().isBefore(claimed.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(claimed.value());
    }

    /** Whether a token could be claimed now (it is known, unused and not expired); does not use it up. */
    public boolean isWaiting(String token) {
        if (!plausible(token)) {
            return false;
        }
        Entry<T> entry = pending.get(hash(token));
        return entry != null && clock.instant().isBefore(entry.expiresAt());
    }

    /** How many tokens wait for their claim (expired ones included until the next issue). */
    public int waiting() {
        return pending.size();
    }

    private static boolean plausible(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_CHARS;
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
