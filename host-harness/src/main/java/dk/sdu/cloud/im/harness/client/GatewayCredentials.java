package dk.sdu.cloud.im.harness.client;

import com.nimbusds.jwt.JWTClaimsSet;
import dk.sdu.cloud.im.harness.auth.CoreClaims;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.GatewayAuthenticator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Calls as a gateway in front of the IM forwards Core's (an IM in {@code harness.auth.mode: gateway}): the
 * gateway's shared secret in {@value GatewayAuthenticator#SECRET_HEADER}, and Core's service claims in {@value
 * GatewayAuthenticator#PAYLOAD_HEADER} (JSON in base64url without padding). The claims are made here, not
 * verified by any gateway: this is for a client that talks to the IM directly, behind the gateway, and holds the
 * secret.
 */
public final class GatewayCredentials implements CallCredentials {
    private final String secret;
    private final Clock clock;

    /** @throws IllegalArgumentException when {@code secret} is empty */
    public GatewayCredentials(String secret, Clock clock) {
        this.secret = requireNonNull(secret, "secret is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("secret is empty");
        }
    }

    @Override
    public Map<String, String> headers() {
        return Map.of(GatewayAuthenticator.SECRET_HEADER, secret, GatewayAuthenticator.PAYLOAD_HEADER, payload());
    }

    @Override
    public String refusalHint() {
        return "use the secret in the server's harness.auth.gatewaySecretFile";
    }

    private String payload() {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(CoreClaims.SERVICE_SUBJECT)
                .claim(CoreClaims.ROLE, CoreClaims.SERVICE_ROLE)
                .claim(CoreClaims.PRINCIPAL_TYPE, CoreClaims.SERVICE_PRINCIPAL)
                .audience(List.of(CoreClaims.AUDIENCE))
                .issuer(CoreClaims.ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(CoreTokenSigner.LIFETIME)))
                .build();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "GatewayCredentials[secret hidden]";
    }
}
