package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.auth.CallAuthenticator;
import dk.sdu.cloud.im.harness.auth.Caller;
import dk.sdu.cloud.im.harness.auth.CoreJwtAuthenticator;
import dk.sdu.cloud.im.harness.auth.GatewayAuthenticator;
import dk.sdu.cloud.im.harness.auth.StaticTokenAuthenticator;
import dk.sdu.cloud.im.harness.client.GatewayCredentials;
import dk.sdu.cloud.im.harness.config.ConfigBinding;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.harness.settings.HarnessConfig;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code harness.auth} made into the API's authenticator, and the files it reads. */
class ServeAuthenticationTest {
    @TempDir
    Path temp;

    private Path configFile() throws IOException {
        return Files.createDirectories(temp.resolve("etc")).resolve("config.yml");
    }

    /** {@code harness} bound from this YAML, as the host binds it. */
    private HarnessConfig harness(String yaml) throws IOException {
        Path file = Files.writeString(temp.resolve("harness-" + System.nanoTime() + ".yml"), "harness:\n" + yaml);
        ConfigBinding binding = new ConfigBinding(new YamlConfigReader().read(file));
        Optional<HarnessConfig> harness = binding.bind("harness", HarnessConfig.class);
        assertThat(binding.problems()).isEmpty();
        return harness.orElseThrow();
    }

    private HarnessConfig jwt(Optional<String> folder) throws IOException {
        return harness("  auth: { mode: jwt" + folder.map(f -> ", publicKeyFolder: " + f).orElse("") + " }\n");
    }

    private HarnessConfig gateway(String file) throws IOException {
        return harness("  auth: { mode: gateway, gatewaySecretFile: " + file + " }\n");
    }

    @Test
    void jwtModeReadsTheKeyFromTheDefaultFolderWithoutPublicKeyFolder() throws IOException {
        Path folder = TestCoreKeys.writePublicKey(temp.resolve("core"));
        CallAuthenticator authenticator = ServeAuthentication.authenticator(jwt(Optional.empty()), configFile(),
                folder, Clock.systemUTC());

        assertThat(authenticator).isInstanceOf(CoreJwtAuthenticator.class);
        assertThat(authenticator.description()).contains(folder.resolve("ucloud_key.pub").toString());
        assertThat(authenticator.authenticate(TestCoreKeys.credentials().headers()::get)).isEqualTo(Caller.SYSTEM);
    }

    @Test
    void publicKeyFolderIsRelativeToTheConfigurationsFolder() throws IOException {
        Path file = configFile();
        TestCoreKeys.writePublicKey(file.getParent().resolve("keys"));
        CallAuthenticator authenticator = ServeAuthentication.authenticator(jwt(Optional.of("keys")), file,
                temp.resolve("unused"), Clock.systemUTC());

        assertThat(authenticator.description()).contains(file.getParent().resolve("keys").resolve("ucloud_key.pub")
                .toString());
    }

    @Test
    void gatewayModeReadsItsSecretFromAFileBesideTheConfiguration() throws IOException {
        Path file = configFile();
        Files.writeString(file.getParent().resolve("envoy-secret"), "  s3cr3t-abc\n");
        CallAuthenticator authenticator = ServeAuthentication.authenticator(gateway("envoy-secret"), file,
                temp, Clock.systemUTC());

        assertThat(authenticator).isInstanceOf(GatewayAuthenticator.class);
        Map<String, String> headers = new GatewayCredentials("s3cr3t-abc", Clock.systemUTC()).headers();
        assertThat(authenticator.authenticate(headers::get)).isEqualTo(Caller.SYSTEM);
    }

    @Test
    void aMissingEmptyOrTwoWordGatewaySecretFileIsNamed() throws IOException {
        Path file = configFile();
        Path secret = file.getParent().resolve("envoy-secret");
        HarnessConfig harness = gateway("envoy-secret");
        ServeException missing = catchThrowableOfType(ServeException.class, () -> ServeAuthentication.authenticator(
                harness, file, temp, Clock.systemUTC()));
        assertThat(missing.exitStatus()).isEqualTo(ServeException.CONFIGURATION);
        assertThat(missing.getMessage()).isEqualTo("harness.auth.gatewaySecretFile: " + secret + " does not exist");

        Files.writeString(secret, "\n");
        assertThat(catchThrowableOfType(ServeException.class, () -> ServeAuthentication.gatewaySecret(
                harness, file)).getMessage()).isEqualTo("harness.auth.gatewaySecretFile: " + secret
                + " is empty; put the secret the gateway sends as ucloud-secret there");

        Files.writeString(secret, "two words\n");
        assertThat(catchThrowableOfType(ServeException.class, () -> ServeAuthentication.gatewaySecret(
                harness, file)).getMessage()).isEqualTo("harness.auth.gatewaySecretFile: " + secret
                + " must hold one secret without spaces or line breaks");
    }

    @Test
    void tokenModeTakesTheStaticToken() throws IOException {
        CallAuthenticator authenticator = ServeAuthentication.authenticator(harness(
                "  auth: { mode: token }\n  token: t0k3n\n"), configFile(), temp, Clock.systemUTC());

        assertThat(authenticator).isInstanceOf(StaticTokenAuthenticator.class);
        assertThat(authenticator.authenticate(Map.of("Authorization", "Bearer t0k3n")::get)).isEqualTo(Caller.SYSTEM);
    }
}
