package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code harness}: how this host runs as an IM ({@code ucloud-im serve}). Every key is optional, so a file
 * without a {@code harness} section is still valid for the commands that do not serve; {@code serve} itself
 * checks the callers as {@code auth} says.
 *
 * @param server        where the HTTP server listens
 * @param auth          how a request is known to come from UCloud/Core (default: Core's signed tokens)
 * @param token         {@code auth.mode: token} only: the bearer token every request must carry
 * @param tokenFile     {@code auth.mode: token} only: a file holding that token instead (its content without
 *                      surrounding white space); a relative path is relative to the configuration file's folder
 * @param dataDirectory where the host keeps its state: the job store ({@code jobs.mv.db} and its journal
 *                      {@code jobs.journal}), the secret store ({@code secrets.json}) and the SSH key directory
 *                      ({@code ssh-keys/}), and with {@code core.mode: local} the harness's Core's key pair,
 *                      public key and refresh token ({@code core/}); a relative path is relative to the
 *                      configuration file's folder
 *                      (default {@code state})
 * @param kubernetes    which Kubernetes API to work on
 * @param jobs          how accepted job requests are carried out
 * @param plugins       how strictly plugin jars are checked
 * @param core          which UCloud/Core the IM calls: a real one ({@code remote}) or the harness playing it
 *                      ({@code local})
 */
public record HarnessConfig(
        @ConfigDefault("{}") HarnessServerConfig server,
        @ConfigDefault("{}") HarnessAuthConfig auth,
        Optional<String> token,
        Optional<String> tokenFile,
        @ConfigDefault("state") String dataDirectory,
        @ConfigDefault("{}") HarnessKubernetesConfig kubernetes,
        @ConfigDefault("{}") HarnessJobsConfig jobs,
        @ConfigDefault("{}") HarnessPluginsConfig plugins,
        @ConfigDefault("{}") HarnessCoreConfig core
) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        token.ifPresent(value -> {
            if (value.isBlank()) {
                problems.add(new ConfigProblem("token", "must not be empty when given"));
            } else if (!value.matches("\\S+")) {
                problems.add(new ConfigProblem("token", "must not contain spaces or line breaks (it is sent in an HTTP header)"));
            }
        });
        tokenFile.filter(String::isBlank)
                .ifPresent(value -> problems.add(new ConfigProblem("tokenFile", "must not be empty when given")));
        if (token.isPresent() && tokenFile.isPresent()) {
            problems.add(new ConfigProblem("tokenFile", "give either token or tokenFile, not both"));
        }
        if (auth != null && auth.mode() == AuthMode.TOKEN && token.isEmpty() && tokenFile.isEmpty()) {
            problems.add(new ConfigProblem("token", "auth.mode is token, which needs the bearer token: set "
                    + "harness.token, or harness.tokenFile (a file holding it)"));
        }
        if (auth != null && auth.mode() != null && auth.mode() != AuthMode.TOKEN) {
            for (String key : token.isPresent() ? List.of("token") : tokenFile.isPresent() ? List.of("tokenFile")
                    : List.<String>of()) {
                problems.add(new ConfigProblem(key, "is only read in auth.mode token, but auth.mode is "
                        + auth.mode().configName() + "; remove it, or set harness.auth.mode: token (for the "
                        + "harness and tests only)"));
            }
        }
        if (dataDirectory != null && dataDirectory.isBlank()) {
            problems.add(new ConfigProblem("dataDirectory", "must not be empty"));
        }
        return problems;
    }
}
