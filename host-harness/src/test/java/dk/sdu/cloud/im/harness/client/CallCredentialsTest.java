package dk.sdu.cloud.im.harness.client;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.GatewayAuthenticator;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CallCredentialsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));

    private static String bearer(Map<String, String> headers) {
        return headers.get("Authorization").substring("Bearer ".length());
    }

    @Test
    void aSignedTokenIsReusedUntilAMinuteBeforeItExpires() throws Exception {
        SignedCoreCredentials credentials = new SignedCoreCredentials(TestCoreKeys.signer(clock), clock);
        String first = bearer(credentials.headers());
        JWTClaimsSet claims = SignedJWT.parse(first).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("_UCloud");
        assertThat(claims.getStringClaim("role")).isEqualTo("SERVICE");

        clock.advance(CoreTokenSigner.LIFETIME.minus(SignedCoreCredentials.RENEW_BEFORE).minusSeconds(1));
        assertThat(bearer(credentials.headers())).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        String second = bearer(credentials.headers());
        assertThat(second).isNotEqualTo(first);
        assertThat(SignedJWT.parse(second).getJWTClaimsSet().getExpirationTime().toInstant())
                .isEqualTo(clock.instant().plus(CoreTokenSigner.LIFETIME));
    }

    @Test
    void theGatewaysHeadersAreTheSecretAndCoresClaimsInBase64UrlWithoutPadding() throws Exception {
        Map<String, String> headers = new GatewayCredentials("envoy-secret", clock).headers();

        assertThat(headers.get(GatewayAuthenticator.SECRET_HEADER)).isEqualTo("envoy-secret");
        String payload = headers.get(GatewayAuthenticator.PAYLOAD_HEADER);
        assertThat(payload).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        JWTClaimsSet claims = JWTClaimsSet.parse(new String(Base64.getUrlDecoder().decode(payload),
                StandardCharsets.UTF_8));
        assertThat(claims.getSubject()).isEqualTo("_UCloud");
        assertThat(claims.getStringClaim("role")).isEqualTo("SERVICE");
        assertThat(claims.getIssuer()).isEqualTo("cloud.sdu.dk");
        assertThat(new GatewayAuthenticator("envoy-secret").authenticate(headers::get).system()).isTrue();
    }

    @Test
    void aStaticTokenIsABearerToken() {
        assertThat(new StaticTokenCredentials("t0k3n").headers()).containsExactly(Map.entry("Authorization", "Bearer t0k3n"));
        assertThat(new StaticTokenCredentials("t0k3n").toString()).doesNotContain("t0k3n");
    }
}
