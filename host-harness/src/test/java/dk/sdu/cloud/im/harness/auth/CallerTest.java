package dk.sdu.cloud.im.harness.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {
    private static CallHeaders headers(Map<String, String> values) {
        return values::get;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void withoutTheHeaderTheCallerIsUCloudsSystemActor() {
        Caller caller = Caller.of(headers(Map.of()));
        assertThat(caller).isEqualTo(Caller.SYSTEM);
        assertThat(caller.username()).isEqualTo("_ucloud");
        assertThat(caller.system()).isTrue();
    }

    @Test
    void theHeaderIsTheUsernameInStandardBase64() {
        String username = "Ålice#1234";
        Caller caller = Caller.of(headers(Map.of(Caller.USERNAME_HEADER,
                base64(username.getBytes(StandardCharsets.UTF_8)))));
        assertThat(caller.username()).isEqualTo(username);
        assertThat(caller.system()).isFalse();
    }

    @Test
    void aHeaderThatIsNotBase64IsRefused() {
        assertThatThrownBy(() -> Caller.of(headers(Map.of(Caller.USERNAME_HEADER, "alice#1234"))))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("the ucloud-username header is not base64 (Core sends the username in standard base64)");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        assertThatThrownBy(() -> Caller.of(headers(Map.of(Caller.USERNAME_HEADER, base64(new byte[]{(byte) 0xff})))))
                .hasMessage("the ucloud-username header is not base64 of a UTF-8 username");
    }

    @Test
    void anEmptyUsernameIsRefused() {
        assertThatThrownBy(() -> Caller.of(headers(Map.of(Caller.USERNAME_HEADER, base64(" ".getBytes())))))
                .hasMessage("the ucloud-username header names an empty username");
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> Caller.of(headers(Map.of(Caller.USERNAME_HEADER, base64("al\nice".getBytes())))))
                .hasMessage("the ucloud-username header names a username with control characters");
    }
}
