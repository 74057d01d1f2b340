package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ucloud-im serve} refusing to start, in-process: what it prints and its exit status. (Serving and
 * SIGTERM are in {@code ServeProcessTest} and {@code ImServerTest}.)
 */
class ServeCommandTest {
    @TempDir
    Path temp;

    private CliRuns.Run serve(ExampleConfigs config) {
        Path file = config.writeTo(temp.resolve("config.yaml"));
        return run("serve", "--config", file.toString(), "--plugins", BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins")).toString());
    }

    @Test
    void aConfigurationWithProblemsListsThemAndExitsWithTwo() {
        CliRuns.Run run = serve(ServeConfigs.embedded(temp.resolve("data"))
                .setYaml("harness.server.port", "99999").setYaml("harness.kubernetes.mode", "cloud"));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(": 2 problems\n")
                .contains("  harness.kubernetes.mode: expected one of [embedded, kubeconfig, in-cluster], got 'cloud'")
                .contains("  harness.server.port: must be a port between 1 and 65535 (or 0 for any free port), got 99999");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void withoutCoresPublicKeyItSaysWhereToPutItAndExitsWithTwo() {
        // A real Core's key (remote mode): the harness's own Core (local mode) would make one.
        CliRuns.Run run = serve(ServeConfigs.embedded(temp.resolve("data")).remove("harness.auth.publicKeyFolder")
                .setYaml("harness.core", "{ mode: remote }"));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("ucloud-im serve: cannot start: harness.auth (mode jwt): no public key of "
                + "UCloud/Core in " + temp).contains(temp.resolve("ucloud_key.pub").toString());
    }

    @Test
    void tokenModeWithoutATokenIsAProblemOfTheConfiguration() {
        CliRuns.Run run = serve(ServeConfigs.embedded(temp.resolve("data")).setYaml("harness.auth", "{ mode: token }"));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("  harness.token: auth.mode is token, which needs the bearer token: set "
                + "harness.token, or harness.tokenFile (a file holding it)");
    }

    @Test
    void aPortInUseIsNamedAndExitsWithOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRuns.Run run = serve(ServeConfigs.embedded(temp.resolve("data"))
                    .setYaml("harness.server.port", Integer.toString(taken.getLocalPort())));

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("ucloud-im serve: cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is in use (another ucloud-im serve, or another program?) (harness.server)\n");
        }
    }

    @Test
    void aPluginsDirectoryThatIsMissingExitsWithOne() {
        Path file = ServeConfigs.embedded(temp.resolve("data")).writeTo(temp.resolve("config.yaml"));
        CliRuns.Run run = run("serve", "--config", file.toString(), "--plugins", temp.resolve("none").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("ucloud-im serve: cannot start: ").contains("none");
    }
}
