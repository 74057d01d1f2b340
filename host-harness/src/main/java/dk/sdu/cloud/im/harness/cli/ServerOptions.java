package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.auth.CoreKeyException;
import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.client.CallCredentials;
import dk.sdu.cloud.im.harness.client.GatewayCredentials;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.SignedCoreCredentials;
import dk.sdu.cloud.im.harness.client.StaticTokenCredentials;
import dk.sdu.cloud.im.harness.config.ConfigBinding;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.config.ConfigTree;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.harness.serve.ServeAuthentication;
import dk.sdu.cloud.im.harness.serve.ServeException;
import dk.sdu.cloud.im.harness.serve.ServerUrls;
import dk.sdu.cloud.im.harness.settings.AuthMode;
import dk.sdu.cloud.im.harness.settings.HarnessConfig;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a command finds a running IM and what it calls with: {@code --config FILE} (its {@code harness.server}, and
 * the credentials its {@code harness.auth} accepts), or {@code --url} with {@code --token} or {@code --core-key}.
 */
final class ServerOptions {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Where the harness, playing Core, keeps Core's key for the provider, below {@code harness.dataDirectory}. */
    static final String CORE_FOLDER = "core";

    @Option(names = "--config", paramLabel = "FILE",
            description = "The running IM's configuration file: the address comes from harness.server (a wildcard "
                    + "bindHost means this machine), the credentials from harness.auth: mode jwt signs with Core's "
                    + "private key (--core-key, default <harness.dataDirectory>/core/core_private_key.pem), mode "
                    + "gateway sends the secret of harness.auth.gatewaySecretFile, mode token sends harness.token "
                    + "or harness.tokenFile.")
    Path config;

    @Option(names = "--url", paramLabel = "URL", description = "The running IM, e.g. http://127.0.0.1:8889 (instead of "
            + "--config), with --token or --core-key.")
    URI url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The static bearer token of an IM in "
            + "harness.auth.mode token (with --url).")
    String token;

    @Option(names = "--core-key", paramLabel = "FILE", description = "Core's private key for this provider (PKCS#8 "
            + "PEM) to sign the calls with, for an IM in harness.auth.mode jwt: its public half is the IM's "
            + "ucloud_key.pub. With --url, or with --config instead of the default "
            + "<harness.dataDirectory>/core/core_private_key.pem.")
    Path coreKey;

    /**
     * The client, or a usage error.
     *
     * @throws CommandLine.ParameterException when the options do not say where the IM is or how to call it
     * @throws ConfigException                when the configuration's harness section has problems
     * @throws ServeException                 when a key, token or secret file is missing or unusable
     */
    HarnessClient client(CommandSpec spec) {
        Resolved resolved = resolve(spec);
        return new HarnessClient(resolved.where(), resolved.credentials(), TIMEOUT);
    }

    /**
     * What the IM accepts from a caller, as {@link #client} would send it (for a caller that is not this CLI).
     *
     * @throws CommandLine.ParameterException as {@link #client}
     */
    CallCredentials credentials(CommandSpec spec) {
        return resolve(spec).credentials();
    }

    private record Resolved(URI where, CallCredentials credentials) {
    }

    private Resolved resolve(CommandSpec spec) {
        if (config != null && (url != null || token != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either --config, or --url with --token or --core-key; not both");
        }
        if (token != null && coreKey != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --token or --core-key, not both");
        }
        if (config == null) {
            if (url == null || (coreKey == null && (token == null || token.isBlank()))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say where the IM runs: --config FILE, or --url URL with --token TOKEN or --core-key FILE");
            }
            return new Resolved(url, coreKey != null ? signing(coreKey, "--core-key")
                    : new StaticTokenCredentials(token));
        }
        HarnessConfig harness = harnessSection(config);
        if (harness.server().port() == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), config + ": harness.server.port is 0 (the IM "
                    + "picked a free port when it started, which its log names); give --url with --token or "
                    + "--core-key instead");
        }
        if (coreKey != null && harness.auth().mode() != AuthMode.JWT) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--core-key is for an IM in harness.auth.mode "
                    + "jwt, but " + config + " says mode " + harness.auth().mode().configName());
        }
        URI where = ServerUrls.connectable(harness.server().bindHost(), harness.server().port());
        return new Resolved(where, credentials(harness));
    }

    private CallCredentials credentials(HarnessConfig harness) {
        return switch (harness.auth().mode()) {
            case TOKEN -> new StaticTokenCredentials(ServeAuthentication.token(harness, config));
            case GATEWAY -> new GatewayCredentials(ServeAuthentication.gatewaySecret(harness, config),
                    Clock.systemUTC());
            case JWT -> coreKey != null ? signing(coreKey, "--core-key") : signing(config.toAbsolutePath()
                    .resolveSibling(harness.dataDirectory()).resolve(CORE_FOLDER)
                    .resolve(ProviderKeyPair.PRIVATE_KEY_FILE).normalize(), "the default of --core-key");
        };
    }

    private static CallCredentials signing(Path keyFile, String source) {
        if (!Files.isRegularFile(keyFile)) {
            throw new ServeException(ServeException.CONFIGURATION, keyFile + " (" + source + ") does not exist: an IM "
                    + "in harness.auth.mode jwt accepts only calls signed with Core's private key for this provider. "
                    + "Give --core-key FILE: the PKCS#8 PEM private key whose public half is the IM's ucloud_key.pub "
                    + "(the harness, playing Core, keeps it in <harness.dataDirectory>/core/"
                    + ProviderKeyPair.PRIVATE_KEY_FILE + ")");
        }
        try {
            return new SignedCoreCredentials(new CoreTokenSigner(ProviderKeyPair.read(keyFile).privateKey(),
                    Clock.systemUTC()), Clock.systemUTC());
        } catch (CoreKeyException e) {
            throw new ServeException(ServeException.CONFIGURATION, e.getMessage() + " (" + source + ")", e);
        }
    }

    /** Binds only {@code harness}: the rest of the file belongs to the running IM and its plugins. */
    private static HarnessConfig harnessSection(Path file) {
        ConfigTree tree = new YamlConfigReader().read(file);
        ConfigBinding binding = new ConfigBinding(tree);
        Optional<HarnessConfig> harness = binding.bind("harness", HarnessConfig.class);
        List<ConfigProblem> problems = binding.problems();
        if (harness.isEmpty() || !problems.isEmpty()) {
            throw new ConfigException(file, problems.isEmpty()
                    ? List.of(new ConfigProblem("harness", "cannot be read")) : problems);
        }
        return harness.get();
    }
}
