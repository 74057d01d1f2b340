package dk.sdu.cloud.im.harness.client;

import com.nimbusds.jwt.SignedJWT;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Calls as UCloud/Core makes them: {@code Authorization: Bearer} with Core's service token, signed with the
 * provider's private key (an IM in {@code harness.auth.mode: jwt}). A token is reused until {@link #RENEW_BEFORE}
 * before it expires, by the injected clock.
 */
public final class SignedCoreCredentials implements CallCredentials {
    /** How long before its expiry a token is replaced. */
    public static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final CoreTokenSigner signer;
    private final Clock clock;
    private final Object lock = new Object();
    private String token;
    private Instant renewAt = Instant.MIN;

    public SignedCoreCredentials(CoreTokenSigner signer, Clock clock) {
        this.signer = requireNonNull(signer, "signer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + token());
    }

    @Override
    public String refusalHint() {
        return "sign with the private key whose public half the IM reads (harness.auth.publicKeyFolder)";
    }

    private String token() {
        synchronized (lock) {
            if (token == null || !clock.instant().isBefore(renewAt)) {
                token = signer.serviceToken();
                renewAt = expiryOf(token).minus(RENEW_BEFORE);
            }
            return token;
        }
    }

    private static Instant expiryOf(String token) {
        java.util.Date expiry;
        try {
            expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime();
        } catch (ParseException e) {
            throw new IllegalStateException("the signer made a token that cannot be read: " + e.getMessage(), e);
        }
        if (expiry == null) {
            throw new IllegalStateException("the signer made a token without an expiry");
        }
        return expiry.toInstant();
    }

    @Override
    public String toString() {
        return "SignedCoreCredentials[key hidden]";
    }
}
