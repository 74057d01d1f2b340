package dk.sdu.cloud.im.harness.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dk.sdu.cloud.im.harness.auth.CallAuthenticator;
import dk.sdu.cloud.im.harness.auth.CallHeaders;
import dk.sdu.cloud.im.harness.auth.Caller;
import dk.sdu.cloud.im.harness.auth.CoreClaims;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.GatewayAuthenticator;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.client.GatewayCredentials;
import dk.sdu.cloud.im.harness.testing.SettableClock;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static dk.sdu.cloud.im.harness.api.ApiFixture.JOBS;
import static dk.sdu.cloud.im.harness.api.ApiFixture.json;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.bulk;
import static dk.sdu.cloud.im.harness.api.ExampleJobs.vmJob;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core's calls reach the provider API only with Core's signed token (mode jwt) or through the gateway (mode
 * gateway); every refusal is 401 with a reason, and nothing is recorded or done.
 */
class ProviderApiAuthTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String GATEWAY_SECRET = "gateway-secret-5b7e";

    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(NOW);
    private final List<Caller> callers = new CopyOnWriteArrayList<>();
    private ApiFixture api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private ApiFixture jwt() {
        api = ApiFixture.start(dir, recording(ApiFixture.jwtAuthenticator(dir, clock)));
        return api;
    }

    private ApiFixture gateway() {
        api = ApiFixture.start(dir, recording(new GatewayAuthenticator(GATEWAY_SECRET)));
        return api;
    }

    private CallAuthenticator recording(CallAuthenticator authenticator) {
        return new CallAuthenticator() {
            @Override
            public Caller authenticate(CallHeaders headers) {
                Caller caller = authenticator.authenticate(headers);
                callers.add(caller);
                return caller;
            }

            @Override
            public String description() {
                return authenticator.description();
            }
        };
    }

    private HttpResponse<String> createWith(Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(JOBS))
                .POST(HttpRequest.BodyPublishers.ofString(bulk(vmJob("1"))));
        headers.forEach(request::header);
        return api.send(request);
    }

    private HttpResponse<String> createWithToken(String token) {
        return createWith(Map.of("Authorization", "Bearer " + token));
    }

    private void assertUnauthorized(HttpResponse<String> response, String why) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(json(response).get("why").asString()).isEqualTo(why);
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
        assertThat(callers).isEmpty();
    }

    private void assertAccepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(api.store.find("1")).isPresent();
    }

    /** Core's service token signed with {@code key} by the test's clock, its claims changed by {@code change}. */
    private String token(ProviderKeyPair key, UnaryOperator<JWTClaimsSet.Builder> change) {
        CoreTokenSigner signer = new CoreTokenSigner(key.privateKey(), clock);
        return signer.sign(change.apply(signer.claims(CoreClaims.SERVICE_SUBJECT, CoreClaims.SERVICE_ROLE,
                CoreClaims.SERVICE_PRINCIPAL)).build());
    }

    private String token(UnaryOperator<JWTClaimsSet.Builder> change) {
        return token(TestCoreKeys.pair(), change);
    }

    private String serviceToken() {
        return token(UnaryOperator.identity());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    // Mode jwt: accepted.

    @Test
    void coresServiceTokenIsAcceptedForUCloudsSystemActorWithoutAUser() {
        jwt();
        assertAccepted(createWithToken(serviceToken()));
        assertThat(callers).containsExactly(Caller.SYSTEM);
        assertThat(callers.get(0).system()).isTrue();
    }

    @Test
    void theUserIsTakenFromUCloudUsername() {
        jwt();
        assertAccepted(createWith(Map.of("Authorization", "Bearer " + serviceToken(),
                Caller.USERNAME_HEADER, base64("alice#1234"))));
        assertThat(callers).containsExactly(new Caller("alice#1234"));
        assertThat(callers.get(0).system()).isFalse();
    }

    @Test
    void aTokenExpiredLessThanTheClockSkewAgoIsAccepted() {
        jwt();
        String token = serviceToken();
        clock.advance(CoreTokenSigner.LIFETIME.plusSeconds(59));
        assertAccepted(createWithToken(token));
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        jwt();
        assertAccepted(createWith(Map.of("Authorization", "bearer " + serviceToken())));
    }

    // Mode jwt: refused.

    @Test
    void aTokenSignedWithAnotherKeyIs401() {
        jwt();
        assertUnauthorized(createWithToken(token(ProviderKeyPair.generate(), UnaryOperator.identity())),
                "the token's signature is not Core's: it does not match the public key of UCloud/Core the IM is "
                        + "configured with");
    }

    @Test
    void anotherIssuerIs401() {
        jwt();
        assertUnauthorized(createWithToken(token(b -> b.issuer("evil.example"))),
                "the token's iss (issuer) is 'evil.example'; Core's calls carry cloud.sdu.dk");
    }

    @Test
    void noIssuerIs401() {
        jwt();
        assertUnauthorized(createWithToken(token(b -> b.issuer(null))),
                "the token has no iss (issuer); Core's calls carry cloud.sdu.dk");
    }

    @Test
    void anotherSubjectIs401() {
        jwt();
        // The provider's own access token (signed with the same key) is not a call of Core's.
        assertUnauthorized(createWithToken(token(b -> b.subject("#P_k8s"))),
                "the token's sub (subject) is '#P_k8s'; Core's calls carry _UCloud");
    }

    @Test
    void anotherRoleIs401() {
        jwt();
        assertUnauthorized(createWithToken(token(b -> b.claim(CoreClaims.ROLE, CoreClaims.PROVIDER_ROLE))),
                "the token's role is 'PROVIDER'; Core's calls carry SERVICE");
    }

    @Test
    void anExpiredTokenIs401() {
        jwt();
        String token = serviceToken();
        clock.advance(CoreTokenSigner.LIFETIME.plusSeconds(61));
        assertUnauthorized(createWithToken(token), "the token expired at " + NOW.plus(CoreTokenSigner.LIFETIME)
                + " (the IM allows 60 s of clock skew)");
    }

    @Test
    void aTokenWithoutExpiryIs401() {
        jwt();
        assertUnauthorized(createWithToken(token(b -> b.expirationTime(null))),
                "the token has no exp (expiry); Core's tokens expire after 10 minutes");
    }

    @Test
    void aTokenNotValidYetIs401() {
        jwt();
        Instant later = NOW.plus(Duration.ofMinutes(5));
        assertUnauthorized(createWithToken(token(b -> b.notBeforeTime(Date.from(later)))),
                "the token is not valid before " + later + " (nbf; the IM allows 60 s of clock skew)");
    }

    @Test
    void anUnsignedTokenIs401() {
        jwt();
        JWTClaimsSet claims = new CoreTokenSigner(TestCoreKeys.pair().privateKey(), clock)
                .claims(CoreClaims.SERVICE_SUBJECT, CoreClaims.SERVICE_ROLE, CoreClaims.SERVICE_PRINCIPAL).build();
        String unsigned = new PlainJWT(claims).serialize();
        assertThat(unsigned).endsWith(".");
        assertUnauthorized(createWithToken(unsigned), "the token is not signed (alg none); Core signs with RS256");
    }

    @Test
    void anHmacTokenKeyedWithThePublicKeyIs401() throws Exception {
        jwt();
        JWTClaimsSet claims = new CoreTokenSigner(TestCoreKeys.pair().privateKey(), clock)
                .claims(CoreClaims.SERVICE_SUBJECT, CoreClaims.SERVICE_ROLE, CoreClaims.SERVICE_PRINCIPAL).build();
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        // The classic confusion: the public key (known to all) as the HMAC secret.
        forged.sign(new MACSigner(TestCoreKeys.pair().publicKey().getEncoded()));
        assertUnauthorized(createWithToken(forged.serialize()),
                "the token is signed with HS256; Core signs with RS256");
    }

    @Test
    void noAuthorizationHeaderIs401() {
        jwt();
        assertUnauthorized(createWith(Map.of()),
                "missing Authorization header; expected 'Authorization: Bearer <token>'");
    }

    @Test
    void anotherSchemeIs401() {
        jwt();
        assertUnauthorized(createWith(Map.of("Authorization", "Basic " + serviceToken())),
                "Authorization scheme must be Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    "})
    void anEmptyTokenIs401(String header) {
        jwt();
        assertUnauthorized(createWith(Map.of("Authorization", header)), "the bearer token is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"harness-test-token-4f1c", "a.b.c", "eyJhbGciOiJSUzI1NiJ9"})
    void somethingThatIsNotAJwtIs401(String token) {
        jwt();
        assertUnauthorized(createWithToken(token), "the bearer token is not a JWT");
    }

    @Test
    void aForgedGatewayPayloadIsIgnoredInModeJwt() {
        jwt();
        assertUnauthorized(createWith(new GatewayCredentials(GATEWAY_SECRET, clock).headers()),
                "missing Authorization header; expected 'Authorization: Bearer <token>'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "//79", "AAE="})
    void aMalformedUCloudUsernameIs401(String username) {
        jwt();
        HttpResponse<String> response = createWith(Map.of("Authorization", "Bearer " + serviceToken(),
                Caller.USERNAME_HEADER, username));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("why").asString()).startsWith("the ucloud-username header ");
        assertThat(api.store.list()).isEmpty();
        assertThat(api.backend.calls()).isEmpty();
    }

    // Mode gateway.

    @Test
    void theGatewaysCallWithTheSecretIsAccepted() {
        gateway();
        Map<String, String> headers = new HashMap<>(
                new GatewayCredentials(GATEWAY_SECRET, clock).headers());
        headers.put(Caller.USERNAME_HEADER, base64("bob"));
        assertAccepted(createWith(headers));
        assertThat(callers).containsExactly(new Caller("bob"));
    }

    @Test
    void aForgedPayloadWithoutTheSecretIs401() {
        gateway();
        Map<String, String> headers = new GatewayCredentials(GATEWAY_SECRET, clock).headers();
        assertUnauthorized(createWith(Map.of(GatewayAuthenticator.PAYLOAD_HEADER,
                        headers.get(GatewayAuthenticator.PAYLOAD_HEADER))),
                "missing ucloud-secret header: the IM accepts calls only through its gateway");
    }

    @Test
    void aForgedPayloadWithAWrongSecretIs401() {
        gateway();
        assertUnauthorized(createWith(new GatewayCredentials(GATEWAY_SECRET + "x", clock).headers()),
                "the ucloud-secret header is not the gateway's secret");
    }

    @Test
    void aBearerTokenAloneIs401InModeGateway() {
        gateway();
        assertUnauthorized(createWithToken(serviceToken()),
                "missing ucloud-secret header: the IM accepts calls only through its gateway");
    }

    @Test
    void aPayloadOfAnotherRoleIs401EvenWithTheSecret() {
        gateway();
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"_UCloud\",\"role\":\"USER\"}".getBytes(StandardCharsets.UTF_8));
        assertUnauthorized(createWith(Map.of(GatewayAuthenticator.SECRET_HEADER, GATEWAY_SECRET,
                        GatewayAuthenticator.PAYLOAD_HEADER, payload)),
                "the forwarded token is not Core's own: Core's calls carry sub _UCloud and role SERVICE");
    }

    // Every route but /metrics.

    @Test
    void everyProviderRouteNeedsAuthentication() {
        jwt();
        for (String path : new String[]{JOBS + "/terminate", JOBS + "/suspend", JOBS + "/unsuspend",
                JOBS + "/requestDynamicParameters", JOBS + "/retrieveProducts", JOBS + "/interactiveSession"}) {
            HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri(path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void unknownRoutesAndWrongMethodsNeedAuthenticationToo() {
        jwt();
        HttpResponse<String> unknown = api.send(HttpRequest.newBuilder(api.uri("/no/such/route")).GET());
        HttpResponse<String> wrongMethod = api.send(HttpRequest.newBuilder(api.uri(JOBS + "/terminate")).GET());

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrongMethod.statusCode()).isEqualTo(401);
    }

    @Test
    void theHarnessViewNeedsAuthentication() {
        jwt();
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/harness/jobs")).GET());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/harness/jobs"))
                .header("Authorization", "Bearer " + serviceToken()).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNeedNoAuthentication() {
        jwt();
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/metrics")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(callers).isEmpty();
    }
}
