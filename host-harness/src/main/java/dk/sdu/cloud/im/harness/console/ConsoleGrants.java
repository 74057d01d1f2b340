package dk.sdu.cloud.im.harness.console;

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
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Who may use a job's console. An operator's Core-signed call gets a ticket: single-use, good for {@link
 * #TICKET_LIFETIME}, bound to one job. The browser trades it for a cookie secret bound to the same job, good for
 * {@link #COOKIE_LIFETIME}. Both are 32 random bytes (URL-safe base64); only their SHA-256 is kept, so neither a
 * memory dump nor a lookup's timing gives one away.
 */
public final class ConsoleGrants {
    /** How long a ticket waits for its browser. */
    public static final Duration TICKET_LIFETIME = Duration.ofMinutes(2);
    /** How long a console cookie lets its browser in. */
    public static final Duration COOKIE_LIFETIME = Duration.ofHours(1);
    /** Longer secrets are refused unread: no secret handed out is that long. */
    static final int MAX_SECRET_CHARS = 128;
    private static final int SECRET_BYTES = 32;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> tickets = new ConcurrentHashMap<>();
    private final Map<String, Grant> cookies = new ConcurrentHashMap<>();

    /** @param clock when tickets and cookies expire */
    public ConsoleGrants(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A secret handed out.
     *
     * @param secret    the secret itself (only its hash is kept)
     * @param jobId     the job it opens
     * @param expiresAt when it stops being good
     */
    public record Issued(String secret, String jobId, Instant expiresAt) {
        public Issued {
            requireNonNull(secret, "secret is null");
            requireNonNull(jobId, "jobId is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    private record Grant(String jobId, Instant expiresAt) {
    }

    /** A new single-use ticket for {@code jobId}'s console. */
    public Issued issueTicket(String jobId) {
        requireNonNull(jobId, "jobId is null");
        return issue(tickets, jobId, TICKET_LIFETIME);
    }

    /**
     * Uses a ticket up (it is gone afterwards, whatever the outcome) and hands out a cookie secret for its job.
     *
     * @throws ConsoleRefusal 401 when the ticket is missing, unknown, used or expired; 403 when it was issued for
     *                        another job
     */
    public Issued exchange(String ticket, String jobId) {
        requireNonNull(jobId, "jobId is null");
        if (ticket == null || ticket.isEmpty()) {
            throw new ConsoleRefusal(401, "no console ticket: run 'ucloud-im jobs console " + jobId
                    + "' and open the URL it prints");
        }
        Grant grant = ticket.length() > MAX_SECRET_CHARS ? null : tickets.remove(hash(ticket));
        if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
            throw new ConsoleRefusal(401, "unknown, used or expired console ticket (a ticket opens the console once, "
                    + "within " + TICKET_LIFETIME.toMinutes() + " min): run 'ucloud-im jobs console " + jobId
                    + "' for a new one");
        }
        if (!grant.jobId().equals(jobId)) {
            throw new ConsoleRefusal(403, "this console ticket is for job " + grant.jobId() + ", not job " + jobId);
        }
        return issue(cookies, jobId, COOKIE_LIFETIME);
    }

    /**
     * Checks a console cookie for a request about {@code jobId}.
     *
     * @throws ConsoleRefusal 401 when the cookie is missing, unknown or expired; 403 when it is for another job
     */
    public void check(String cookie, String jobId) {
        requireNonNull(jobId, "jobId is null");
        if (cookie == null || cookie.isEmpty()) {
            throw new ConsoleRefusal(401, "no console cookie: run 'ucloud-im jobs console " + jobId
                    + "' and open the URL it prints");
        }
        Grant grant = cookie.length() > MAX_SECRET_CHARS ? null : cookies.get(hash(cookie));
        if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
            throw new ConsoleRefusal(401, "unknown or expired console cookie (it lasts " + COOKIE_LIFETIME.toMinutes()
                    + " min): run 'ucloud-im jobs console " + jobId + "' for a new URL");
        }
        if (!grant.jobId().equals(jobId)) {
            throw new ConsoleRefusal(403, "this console cookie is for job " + grant.jobId() + ", not job " + jobId);
        }
    }

    /** How many tickets and cookies are held (expired ones included until the next issue). */
    public int held() {
        return tickets.size() + cookies.size();
    }

    private Issued issue(Map<String, Grant> into, String jobId, Duration lifetime) {
        Instant now = clock.instant();
        // Expired grants are dropped here, so that they cannot pile up.
        tickets.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        cookies.values().removeIf(g -> !now.isBefore(g.expiresAt()));
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(lifetime);
        into.put(hash(secret), new Grant(jobId, expiresAt));
        return new Issued(secret, jobId, expiresAt);
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
