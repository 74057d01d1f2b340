package dk.sdu.cloud.im.harness.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static java.util.Objects.requireNonNull;

/**
 * The claims a call of Core to the IM must carry, checked once the signature is: Core's issuer, Core acting as
 * itself ({@code sub _UCloud}, {@code role SERVICE}) and a time within the token's validity. Each refusal says
 * which claim is wrong; a value the caller sent is repeated shortened, never anything of the IM's.
 *
 * <p>Times are the injected clock's; a clock of Core's that is up to {@link #MAX_CLOCK_SKEW} ahead or behind is
 * tolerated. The audience is not checked: Core's {@code all:write} names no provider, and UCloud's IM does not
 * check it either.
 */
final class CoreServiceClaims implements JWTClaimsSetVerifier<SecurityContext> {
    /** How far the IM's and Core's clocks may disagree. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final int SHOWN_VALUE = 40;

    private final Clock clock;

    CoreServiceClaims(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        expect(claims.getIssuer(), CoreClaims.ISSUER, "iss (issuer)");
        expect(claims.getSubject(), CoreClaims.SERVICE_SUBJECT, "sub (subject)");
        String role;
        try {
            role = claims.getStringClaim(CoreClaims.ROLE);
        } catch (ParseException e) {
            throw new BadJWTException("the token's role is not a string; Core's calls carry role "
                    + CoreClaims.SERVICE_ROLE);
        }
        expect(role, CoreClaims.SERVICE_ROLE, "role");
        Instant now = clock.instant();
        Date expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new BadJWTException("the token has no exp (expiry); Core's tokens expire after "
                    + CoreTokenSigner.LIFETIME.toMinutes() + " minutes");
        }
        if (now.isAfter(expiry.toInstant().plus(MAX_CLOCK_SKEW))) {
            throw new BadJWTException("the token expired at " + expiry.toInstant() + " (the IM allows "
                    + MAX_CLOCK_SKEW.toSeconds() + " s of clock skew)");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(MAX_CLOCK_SKEW))) {
            throw new BadJWTException("the token is not valid before " + notBefore.toInstant() + " (nbf; the IM "
                    + "allows " + MAX_CLOCK_SKEW.toSeconds() + " s of clock skew)");
        }
    }

    private static void expect(String actual, String expected, String claim) throws BadJWTException {
        if (actual == null) {
            throw new BadJWTException("the token has no " + claim + "; Core's calls carry " + expected);
        }
        if (!actual.equals(expected)) {
            throw new BadJWTException("the token's " + claim + " is '" + shortened(actual) + "'; Core's calls carry "
                    + expected);
        }
    }

    private static String shortened(String value) {
        String printable = value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > SHOWN_VALUE ? printable.substring(0, SHOWN_VALUE) + "..." : printable;
    }
}
