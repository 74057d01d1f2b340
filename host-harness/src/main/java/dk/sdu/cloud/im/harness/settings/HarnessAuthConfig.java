package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code harness.auth}: how {@code ucloud-im serve} tells that a request comes from UCloud/Core.
 *
 * @param mode              {@code jwt} (default): Core's RS256 token, checked with Core's public key for this
 *                          provider; {@code gateway}: a gateway in front of the IM checked it and forwards its
 *                          claims with a shared secret; {@code token}: a fixed bearer token ({@code harness.token}
 *                          or {@code harness.tokenFile}), for the harness and tests only
 * @param publicKeyFolder   mode {@code jwt}: the folder holding Core's public key as UCloud's IM keeps it ({@code
 *                          ucloud_key.pub}, else {@code ucloud_crt.pem}); a relative path is relative to the
 *                          configuration file's folder. Absent: the configuration file's folder
 * @param gatewaySecretFile mode {@code gateway} (required there): a file holding the secret the gateway sends as
 *                          {@code ucloud-secret} (one word); a relative path is relative to the configuration
 *                          file's folder
 */
public record HarnessAuthConfig(
        @ConfigDefault("jwt") AuthMode mode,
        Optional<String> publicKeyFolder,
        Optional<String> gatewaySecretFile
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        checkOnlyIn(AuthMode.JWT, "publicKeyFolder", publicKeyFolder, problems);
        checkOnlyIn(AuthMode.GATEWAY, "gatewaySecretFile", gatewaySecretFile, problems);
        if (mode == AuthMode.GATEWAY && gatewaySecretFile.isEmpty()) {
            problems.add(new ConfigProblem("gatewaySecretFile", "mode gateway needs the file holding the secret the "
                    + "gateway sends in the ucloud-secret header"));
        }
        return problems;
    }

    private void checkOnlyIn(AuthMode readIn, String key, Optional<String> value, List<ConfigProblem> problems) {
        if (value.isEmpty()) {
            return;
        }
        if (value.get().isBlank()) {
            problems.add(new ConfigProblem(key, "must not be empty when given"));
        } else if (mode != null && mode != readIn) {
            problems.add(new ConfigProblem(key, "is only read in mode " + readIn.configName() + ", but mode is "
                    + mode.configName() + "; remove it or set mode: " + readIn.configName()));
        }
    }
}
