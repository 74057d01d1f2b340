package dk.sdu.cloud.im.harness.auth;

import com.nimbusds.jwt.JWTClaimsSet;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;

/**
 * Accepts a call that a gateway in front of the IM has checked, as UCloud's IM does behind its Envoy: the gateway
 * verifies Core's token (signature, issuer, expiry), removes it, and forwards its claims in {@value
 * #PAYLOAD_HEADER} (the claims' JSON in base64url) with a secret shared with the IM in {@value #SECRET_HEADER}.
 * The IM checks the secret (in constant time), then that the claims are Core's acting as itself ({@code sub}
 * {@value CoreClaims#SERVICE_SUBJECT}, {@code role} {@value CoreClaims#SERVICE_ROLE}). The expiry is the
 * gateway's to check, as in UCloud's IM.
 *
 * <p>The secret is all that stands between a caller that reaches the IM directly and forged claims: the IM must
 * then be reachable only through the gateway.
 */
public final class GatewayAuthenticator implements CallAuthenticator {
    /** The header with the secret the gateway adds. */
    public static final String SECRET_HEADER = "ucloud-secret";
    /** The header with the verified token's claims. */
    public static final String PAYLOAD_HEADER = "x-jwt-payload";

    private final SharedSecret secret;

    /** @throws IllegalArgumentException when {@code secret} is empty */
    public GatewayAuthenticator(String secret) {
        this.secret = new SharedSecret(secret);
    }

    @Override
    public Caller authenticate(CallHeaders headers) {
        String presented = headers.value(SECRET_HEADER);
        if (presented == null || presented.isBlank()) {
            throw new AuthenticationException("missing " + SECRET_HEADER + " header: the IM accepts calls only "
                    + "through its gateway");
        }
        if (!secret.matches(presented.strip())) {
            throw new AuthenticationException("the " + SECRET_HEADER + " header is not the gateway's secret");
        }
        String payload = headers.value(PAYLOAD_HEADER);
        if (payload == null || payload.isBlank()) {
            throw new AuthenticationException("missing " + PAYLOAD_HEADER + " header: the gateway forwarded no "
                    + "verified token");
        }
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(new String(Base64.getUrlDecoder().decode(payload.strip()),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | ParseException e) {
            throw new AuthenticationException("the " + PAYLOAD_HEADER + " header is not a token's claims (JSON in "
                    + "base64url)");
        }
        String role;
        try {
            role = claims.getStringClaim(CoreClaims.ROLE);
        } catch (ParseException e) {
            role = null;
        }
        if (!CoreClaims.SERVICE_SUBJECT.equals(claims.getSubject()) || !CoreClaims.SERVICE_ROLE.equals(role)) {
            throw new AuthenticationException("the forwarded token is not Core's own: Core's calls carry sub "
                    + CoreClaims.SERVICE_SUBJECT + " and role " + CoreClaims.SERVICE_ROLE);
        }
        return Caller.of(headers);
    }

    @Override
    public String description() {
        return "calls forwarded by a gateway (" + SECRET_HEADER + " and " + PAYLOAD_HEADER + ")";
    }

    @Override
    public String toString() {
        return "GatewayAuthenticator[secret hidden]";
    }
}
