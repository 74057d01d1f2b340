package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.plugins.PluginLoader;
import dk.sdu.cloud.im.harness.settings.AuthMode;
import dk.sdu.cloud.im.harness.settings.HarnessAuthConfig;
import dk.sdu.cloud.im.harness.settings.HarnessConfig;
import dk.sdu.cloud.im.harness.settings.KubernetesMode;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code harness} keys: defaults, paths relative to the file, and one test per rule. */
class HarnessConfigTest {
    private static InstalledPlugins plugins;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadPlugins(@TempDir Path pluginsHome) {
        plugins = PluginLoader.load(BuiltPlugins.copyTo(pluginsHome.resolve("plugins")), "0.1.0");
    }

    @AfterAll
    static void closePlugins() {
        plugins.close();
    }

    private HostConfiguration load(ExampleConfigs config) {
        return new ConfigurationLoader().load(config.writeTo(temp.resolve("etc").resolve("config.yaml")), plugins);
    }

    private ConfigProblem onlyProblem(ExampleConfigs config) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(config));
        assertThat(e).as("the configuration should have been rejected").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    private static ExampleConfigs example() {
        return ExampleConfigs.of("config-hostpath.yaml").remove("harness");
    }

    @Test
    void aFileWithoutHarnessGetsTheDefaults() {
        HostConfiguration configuration = load(example());
        HarnessConfig harness = configuration.harness();

        assertThat(harness.server().bindHost()).isEqualTo("127.0.0.1");
        assertThat(harness.server().port()).isEqualTo(8889);
        assertThat(harness.server().maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(harness.server().routeBindAddress()).isEqualTo("0.0.0.0");
        assertThat(harness.token()).isEmpty();
        assertThat(harness.tokenFile()).isEmpty();
        assertThat(harness.auth().mode()).isEqualTo(AuthMode.JWT);
        assertThat(harness.auth().publicKeyFolder()).isEmpty();
        assertThat(harness.auth().gatewaySecretFile()).isEmpty();
        assertThat(harness.kubernetes().mode()).isEqualTo(KubernetesMode.KUBECONFIG);
        assertThat(harness.kubernetes().kubeconfig()).isEmpty();
        assertThat(harness.kubernetes().context()).isEmpty();
        assertThat(harness.kubernetes().embedded().guests()).isTrue();
        assertThat(harness.kubernetes().embedded().agentLauncher()).isEqualTo("ucloud-exe/vmagent");
        assertThat(harness.jobs().workers()).isEqualTo(4);
        assertThat(configuration.dataDirectory()).isEqualTo(temp.resolve("etc").resolve("state").toAbsolutePath());
    }

    @Test
    void everyKeyIsRead() {
        HostConfiguration configuration = load(example().setYaml("harness", """
                server: { bindHost: 0.0.0.0, port: 9000, maxBodyBytes: 4096, routeBindAddress: 10.0.0.5 }
                auth: { mode: token }
                tokenFile: secrets/token
                dataDirectory: /var/lib/ucloud-im
                kubernetes: { mode: kubeconfig, kubeconfig: kube/config, context: prod }
                jobs: { workers: 16 }
                """));
        HarnessConfig harness = configuration.harness();

        assertThat(harness.server().bindHost()).isEqualTo("0.0.0.0");
        assertThat(harness.server().port()).isEqualTo(9000);
        assertThat(harness.server().maxBodyBytes()).isEqualTo(4096);
        assertThat(harness.server().routeBindAddress()).isEqualTo("10.0.0.5");
        assertThat(harness.tokenFile()).contains("secrets/token");
        assertThat(harness.auth().mode()).isEqualTo(AuthMode.TOKEN);
        assertThat(configuration.dataDirectory()).isEqualTo(Path.of("/var/lib/ucloud-im"));
        assertThat(harness.kubernetes().kubeconfig()).contains("kube/config");
        assertThat(harness.kubernetes().context()).contains("prod");
        assertThat(harness.jobs().workers()).isEqualTo(16);
    }

    @Test
    void theModesHaveTheirConfigurationNames() {
        for (String mode : List.of("embedded", "kubeconfig", "in-cluster")) {
            assertThat(load(example().setYaml("harness.kubernetes.mode", mode)).harness().kubernetes().mode().configName())
                    .isEqualTo(mode);
        }
    }

    @Test
    void aPortOutsideTheRangeIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.server.port", "70000")))
                .isEqualTo(new ConfigProblem("harness.server.port",
                        "must be a port between 1 and 65535 (or 0 for any free port), got 70000"));
    }

    @Test
    void aPortThatIsNoNumberIsRefused() {
        ConfigProblem problem = onlyProblem(example().setYaml("harness.server.port", "http"));
        assertThat(problem.path()).isEqualTo("harness.server.port");
        assertThat(problem.message()).contains("expected an integer").contains("'http'");
    }

    @Test
    void anEmptyBindHostIsRefused() {
        ConfigProblem problem = onlyProblem(example().setYaml("harness.server.bindHost", "' '"));
        assertThat(problem.path()).isEqualTo("harness.server.bindHost");
        assertThat(problem.message()).startsWith("must not be empty");
    }

    @Test
    void aBindHostThatIsNeitherAddressNorNameIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.server.bindHost", "'local host'")))
                .isEqualTo(new ConfigProblem("harness.server.bindHost", "must be an IP address or a host name, got 'local host'"));
    }

    @Test
    void aRouteBindAddressThatIsEmptyOrNeitherAddressNorNameIsRefused() {
        ConfigProblem empty = onlyProblem(example().setYaml("harness.server.routeBindAddress", "' '"));
        assertThat(empty.path()).isEqualTo("harness.server.routeBindAddress");
        assertThat(empty.message()).startsWith("must not be empty");
        assertThat(onlyProblem(example().setYaml("harness.server.routeBindAddress", "'any where'")))
                .isEqualTo(new ConfigProblem("harness.server.routeBindAddress",
                        "must be an IP address or a host name, got 'any where'"));
    }

    @Test
    void aWorkerCountOutsideTheRangeIsRefused() {
        ConfigProblem none = onlyProblem(example().setYaml("harness.jobs.workers", "0"));
        assertThat(none.path()).isEqualTo("harness.jobs.workers");
        assertThat(none.message()).isEqualTo("must be between 1 and 64, got 0");
        assertThat(onlyProblem(example().setYaml("harness.jobs.workers", "65")).path())
                .isEqualTo("harness.jobs.workers");
    }

    @Test
    void aTinyOrHugeBodyLimitIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.server.maxBodyBytes", "10")).path())
                .isEqualTo("harness.server.maxBodyBytes");
        assertThat(onlyProblem(example().setYaml("harness.server.maxBodyBytes", "4294967296")).message())
                .isEqualTo("must be between 1024 and 1073741824 bytes, got 4294967296");
    }

    private ExampleConfigs tokenMode() {
        return example().setYaml("harness.auth.mode", "token");
    }

    @Test
    void anEmptyTokenIsRefused() {
        assertThat(onlyProblem(tokenMode().setYaml("harness.token", "''")))
                .isEqualTo(new ConfigProblem("harness.token", "must not be empty when given"));
    }

    @Test
    void aTokenWithSpacesIsRefused() {
        assertThat(onlyProblem(tokenMode().setYaml("harness.token", "'two words'")).path()).isEqualTo("harness.token");
    }

    @Test
    void tokenAndTokenFileTogetherAreRefused() {
        assertThat(onlyProblem(tokenMode().setYaml("harness.token", "abc").setYaml("harness.tokenFile", "token.txt")))
                .isEqualTo(new ConfigProblem("harness.tokenFile", "give either token or tokenFile, not both"));
    }

    @Test
    void anEmptyTokenFileIsRefused() {
        assertThat(onlyProblem(tokenMode().setYaml("harness.tokenFile", "''")).path()).isEqualTo("harness.tokenFile");
    }

    @Test
    void tokenModeWithoutATokenIsRefusedNamingTheKeys() {
        assertThat(onlyProblem(tokenMode())).isEqualTo(new ConfigProblem("harness.token", "auth.mode is token, which "
                + "needs the bearer token: set harness.token, or harness.tokenFile (a file holding it)"));
    }

    @Test
    void aTokenOutsideTokenModeIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.token", "abc"))).isEqualTo(new ConfigProblem("harness.token",
                "is only read in auth.mode token, but auth.mode is jwt; remove it, or set harness.auth.mode: token "
                        + "(for the harness and tests only)"));
        assertThat(onlyProblem(example().setYaml("harness.auth.mode", "gateway")
                .setYaml("harness.auth.gatewaySecretFile", "secret").setYaml("harness.tokenFile", "t")).path())
                .isEqualTo("harness.tokenFile");
    }

    @Test
    void everyAuthKeyIsRead() {
        assertThat(load(example().setYaml("harness.auth", "{ mode: jwt, publicKeyFolder: /etc/ucloud }")).harness()
                .auth().publicKeyFolder()).contains("/etc/ucloud");
        HarnessAuthConfig gateway = load(example().setYaml("harness.auth",
                "{ mode: gateway, gatewaySecretFile: envoy-secret }")).harness().auth();
        assertThat(gateway.mode()).isEqualTo(AuthMode.GATEWAY);
        assertThat(gateway.gatewaySecretFile()).contains("envoy-secret");
        for (String mode : List.of("jwt", "gateway", "token")) {
            assertThat(AuthMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)).configName()).isEqualTo(mode);
        }
    }

    @Test
    void gatewayModeNeedsTheSecretFile() {
        assertThat(onlyProblem(example().setYaml("harness.auth.mode", "gateway")))
                .isEqualTo(new ConfigProblem("harness.auth.gatewaySecretFile", "mode gateway needs the file holding "
                        + "the secret the gateway sends in the ucloud-secret header"));
    }

    @Test
    void authKeysOfAnotherModeAreRefused() {
        assertThat(onlyProblem(example().setYaml("harness.auth", "{ mode: gateway, gatewaySecretFile: s, "
                + "publicKeyFolder: /etc/ucloud }"))).isEqualTo(new ConfigProblem("harness.auth.publicKeyFolder",
                "is only read in mode jwt, but mode is gateway; remove it or set mode: jwt"));
        assertThat(onlyProblem(example().setYaml("harness.auth", "{ gatewaySecretFile: s }")))
                .isEqualTo(new ConfigProblem("harness.auth.gatewaySecretFile",
                        "is only read in mode gateway, but mode is jwt; remove it or set mode: gateway"));
    }

    @Test
    void emptyAuthPathsAreRefused() {
        assertThat(onlyProblem(example().setYaml("harness.auth.publicKeyFolder", "' '")))
                .isEqualTo(new ConfigProblem("harness.auth.publicKeyFolder", "must not be empty when given"));
    }

    @Test
    void anUnknownAuthModeIsRefusedWithTheModes() {
        ConfigProblem problem = onlyProblem(example().setYaml("harness.auth.mode", "jws"));
        assertThat(problem.path()).isEqualTo("harness.auth.mode");
        assertThat(problem.message()).contains("[jwt, gateway, token]");
    }

    @Test
    void anEmptyDataDirectoryIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.dataDirectory", "' '")))
                .isEqualTo(new ConfigProblem("harness.dataDirectory", "must not be empty"));
    }

    @Test
    void anUnknownModeIsRefusedWithTheModes() {
        ConfigProblem problem = onlyProblem(example().setYaml("harness.kubernetes.mode", "incluster"));
        assertThat(problem.path()).isEqualTo("harness.kubernetes.mode");
        assertThat(problem.message()).contains("[embedded, kubeconfig, in-cluster]").contains("did you mean 'in-cluster'");
    }

    @Test
    void aKubeconfigOutsideKubeconfigModeIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.kubernetes", "{ mode: embedded, kubeconfig: /etc/kube }")))
                .isEqualTo(new ConfigProblem("harness.kubernetes.kubeconfig",
                        "is only read in mode kubeconfig, but mode is embedded; remove it or set mode: kubeconfig"));
    }

    @Test
    void theEmbeddedGuestsKeysAreRead() {
        HarnessConfig harness = load(example().setYaml("harness.kubernetes",
                "{ mode: embedded, embedded: { guests: false, agentLauncher: /opt/agent/vmagent } }")).harness();

        assertThat(harness.kubernetes().embedded().guests()).isFalse();
        assertThat(harness.kubernetes().embedded().agentLauncher()).isEqualTo("/opt/agent/vmagent");
    }

    @Test
    void anEmptyAgentLauncherIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.kubernetes", "{ mode: embedded, embedded: { agentLauncher: ' ' } }")))
                .isEqualTo(new ConfigProblem("harness.kubernetes.embedded.agentLauncher",
                        "must not be empty (default ucloud-exe/vmagent)"));
    }

    @Test
    void aContextOutsideKubeconfigModeIsRefused() {
        assertThat(onlyProblem(example().setYaml("harness.kubernetes", "{ mode: in-cluster, context: prod }")).path())
                .isEqualTo("harness.kubernetes.context");
    }

    @Test
    void anUnknownHarnessKeyGetsASuggestion() {
        ConfigProblem problem = onlyProblem(example().setYaml("harness.dataDir", "state"));
        assertThat(problem.path()).isEqualTo("harness.dataDir");
        assertThat(problem.message()).contains("dataDirectory");
    }

    @Test
    void severalHarnessProblemsAreReportedTogether() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(example().setYaml("harness", """
                server: { port: -1 }
                auth: { mode: token }
                token: ''
                kubernetes: { mode: embedded, context: prod }
                """)));
        assertThat(e.problems()).extracting(ConfigProblem::path)
                .containsExactly("harness.kubernetes.context", "harness.server.port", "harness.token");
    }

    @Test
    void theDataDirectoryCanBeOverriddenByTheCaller() {
        Path config = example().writeTo(temp.resolve("c.yaml"));
        HostOptions options = new HostOptions(config, BuiltPlugins.DIRECTORY, temp.resolve("elsewhere"));
        assertThat(options.dataDirectoryOverride()).isEqualTo(Optional.of(temp.resolve("elsewhere")));
        try (ImHost host = ImHost.assemble(options)) {
            assertThat(host.dataDirectory()).isEqualTo(temp.resolve("elsewhere"));
        }
        try (ImHost host = ImHost.assemble(new HostOptions(config, BuiltPlugins.DIRECTORY))) {
            assertThat(host.dataDirectory()).isEqualTo(temp.resolve("state").toAbsolutePath());
        }
    }
}
