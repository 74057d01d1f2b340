package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.config.ConfigBinding;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.config.ConfigTree;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.harness.serve.ServeToken;
import dk.sdu.cloud.im.harness.serve.ServerUrls;
import dk.sdu.cloud.im.harness.settings.HarnessConfig;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a command finds a running IM: {@code --config FILE} (its {@code harness.server} and token) or
 * {@code --url} with {@code --token}.
 */
final class ServerOptions {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--config", paramLabel = "FILE",
            description = "The running IM's configuration file: the address comes from harness.server (a wildcard "
                    + "bindHost means this machine) and the token from harness.token or harness.tokenFile.")
    Path config;

    @Option(names = "--url", paramLabel = "URL", description = "The running IM, e.g. http://127.0.0.1:8889 (instead of --config).")
    URI url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The bearer token (with --url).")
    String token;

    /**
     * The client, or a usage error.
     *
     * @throws CommandLine.ParameterException when the options do not say where the IM is
     * @throws ConfigException                when the configuration's harness section has problems
     */
    HarnessClient client(CommandSpec spec) {
        if (config != null && (url != null || token != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --config, or --url with --token; not both");
        }
        if (config == null) {
            if (url == null || token == null || token.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say where the IM runs: --config FILE, or --url URL with --token TOKEN");
            }
            return new HarnessClient(url, token, TIMEOUT);
        }
        HarnessConfig harness = harnessSection(config);
        if (harness.server().port() == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), config + ": harness.server.port is 0 (the IM "
                    + "picked a free port when it started, which its log names); give --url and --token instead");
        }
        URI where = ServerUrls.connectable(harness.server().bindHost(), harness.server().port());
        return new HarnessClient(where, ServeToken.of(harness, config), TIMEOUT);
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
