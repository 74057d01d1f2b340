package dk.sdu.cloud.im.harness.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticTokenAuthenticatorTest {
    private static final String TOKEN = "harness-test-token-4f1c";
    private final StaticTokenAuthenticator authenticator = new StaticTokenAuthenticator(TOKEN);

    private static CallHeaders authorization(String value) {
        return Map.of("Authorization", value)::get;
    }

    @Test
    void theTokenIsAcceptedWithAnyCaseOfTheScheme() {
        assertThat(authenticator.authenticate(authorization("bearer " + TOKEN))).isEqualTo(Caller.SYSTEM);
        assertThat(authenticator.authenticate(Map.of("Authorization", "Bearer " + TOKEN,
                Caller.USERNAME_HEADER, "Ym9i")::get)).isEqualTo(new Caller("bob"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong", TOKEN + "x", "harness-test-token-4f1"})
    void aWrongTokenIsRefused(String token) {
        assertThatThrownBy(() -> authenticator.authenticate(authorization("Bearer " + token)))
                .isInstanceOf(AuthenticationException.class).hasMessage("the bearer token is not valid");
    }

    @Test
    void anotherSchemeOrNoHeaderIsRefused() {
        assertThatThrownBy(() -> authenticator.authenticate(authorization("Basic " + TOKEN)))
                .hasMessage("Authorization scheme must be Bearer");
        assertThatThrownBy(() -> authenticator.authenticate(name -> null))
                .hasMessage("missing Authorization header; expected 'Authorization: Bearer <token>'");
    }

    @Test
    void anEmptyTokenIsNotAnAuthenticator() {
        assertThatThrownBy(() -> new StaticTokenAuthenticator(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(authenticator.toString()).doesNotContain(TOKEN);
        assertThat(new GatewayAuthenticator("s3cr3t-value").toString()).doesNotContain("s3cr3t-value");
    }
}
