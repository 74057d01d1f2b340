package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.plugins.PluginLoader;
import dk.sdu.cloud.im.harness.settings.CoreMode;
import dk.sdu.cloud.im.harness.settings.HarnessCoreConfig;
import dk.sdu.cloud.im.harness.settings.ProviderHostsConfig;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code provider.hosts} (UCloud's HostInfo rules) and {@code harness.core}. */
class CoreConfigTest {
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

    private List<ConfigProblem> problems(ExampleConfigs config) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(config));
        assertThat(e).as("the configuration should have been rejected").isNotNull();
        return e.problems();
    }

    private static ExampleConfigs example() {
        return ExampleConfigs.of("config-hostpath.yaml").remove("harness");
    }

    private static ExampleConfigs withHosts(String hosts) {
        return example().setYaml("provider.hosts", hosts);
    }

    @Test
    void hostsAreOptionalAndReadAsUCloudReadsThem() {
        assertThat(load(example()).host().provider().hosts()).isEmpty();

        ProviderHostsConfig hosts = load(withHosts("""
                ucloud: { address: cloud.sdu.dk, port: 443 }
                self: { address: im.example.org, port: 8889, scheme: http }
                selfPublic: { address: im.example.org, scheme: https }
                """)).host().provider().hosts().orElseThrow();

        assertThat(hosts.ucloud().url()).isEqualTo(URI.create("https://cloud.sdu.dk:443"));
        assertThat(hosts.self().url()).isEqualTo(URI.create("http://im.example.org:8889"));
        assertThat(hosts.effectiveUcloudPublic()).isEqualTo(hosts.ucloud());
        assertThat(hosts.effectiveSelfPublic().url()).isEqualTo(URI.create("https://im.example.org"));
    }

    @Test
    void theSchemeComesFromThePortWhenAbsentOrUnknown() {
        ProviderHostsConfig hosts = load(withHosts("""
                ucloud: { address: cloud.sdu.dk, port: 8443, scheme: ftp }
                self: { address: 10.0.0.5, port: 8080 }
                """)).host().provider().hosts().orElseThrow();

        assertThat(hosts.ucloud().effectiveScheme()).isEqualTo("https");
        assertThat(hosts.self().effectiveScheme()).isEqualTo("http");
    }

    @Test
    void anIpv6AddressIsBracketedInTheUrl() {
        ProviderHostsConfig hosts = load(withHosts("""
                ucloud: { address: "::1", port: 8080 }
                self: { address: "fd00::5", port: 8889 }
                """)).host().provider().hosts().orElseThrow();

        assertThat(hosts.ucloud().url()).isEqualTo(URI.create("http://[::1]:8080"));
        assertThat(hosts.self().url()).isEqualTo(URI.create("http://[fd00::5]:8889"));
        assertThat(problems(withHosts("""
                ucloud: { address: "[::1]", port: 8080 }
                self: { address: "im.example.org", port: 8889 }
                """))).extracting(ConfigProblem::path).containsExactly("provider.hosts.ucloud.address");
    }

    @Test
    void ucloudAndSelfNeedAPort() {
        assertThat(problems(withHosts("""
                ucloud: { address: cloud.sdu.dk }
                self: { address: im.example.org, port: 443 }
                """))).containsExactly(new ConfigProblem("provider.hosts.ucloud.port",
                "is required (1-65535); did you remember to specify a port?"));
    }

    @Test
    void ucloudAndSelfAreRequiredInHosts() {
        assertThat(problems(withHosts("ucloudPublic: { address: cloud.sdu.dk }")))
                .extracting(ConfigProblem::path)
                .containsExactly("provider.hosts.self", "provider.hosts.ucloud");
    }

    @Test
    void aPortOutsideTheRangeAndAnAddressWithASchemeAreRefused() {
        assertThat(problems(withHosts("""
                ucloud: { address: "https://cloud.sdu.dk", port: 443 }
                self: { address: im.example.org, port: 70000 }
                """))).containsExactly(
                new ConfigProblem("provider.hosts.self.port", "must be between 1 and 65535, got 70000"),
                new ConfigProblem("provider.hosts.ucloud.address", "must be a host name or an IP address (no scheme, "
                        + "port or path), got 'https://cloud.sdu.dk'"));
    }

    @Test
    void coreDefaultsToRemoteExceptInEmbeddedMode() {
        HarnessCoreConfig core = load(example()).harness().core();
        assertThat(core.mode()).isEmpty();
        assertThat(core.port()).isZero();
        assertThat(core.bindHost()).isEqualTo("127.0.0.1");
        assertThat(core.effectiveMode(load(example()).harness().kubernetes().mode())).isEqualTo(CoreMode.REMOTE);

        HostConfiguration embedded = load(example().setYaml("harness.kubernetes.mode", "embedded"));
        assertThat(embedded.harness().core().effectiveMode(embedded.harness().kubernetes().mode()))
                .isEqualTo(CoreMode.LOCAL);
        HostConfiguration remoteAnyway = load(example().setYaml("harness.kubernetes.mode", "embedded")
                .setYaml("harness.core.mode", "remote"));
        assertThat(remoteAnyway.harness().core().effectiveMode(remoteAnyway.harness().kubernetes().mode()))
                .isEqualTo(CoreMode.REMOTE);
    }

    @Test
    void coreKeysAreReadAndChecked() {
        HarnessCoreConfig core = load(example().setYaml("harness.core", "{ mode: local, port: 9100, bindHost: '::1' }"))
                .harness().core();
        assertThat(core.mode()).contains(CoreMode.LOCAL);
        assertThat(core.port()).isEqualTo(9100);
        assertThat(core.bindHost()).isEqualTo("::1");

        assertThat(problems(example().setYaml("harness.core", "{ mode: fake, port: -1, bindHost: ' ' }")))
                .extracting(ConfigProblem::path)
                .containsExactly("harness.core.bindHost", "harness.core.mode", "harness.core.port");
    }
}
