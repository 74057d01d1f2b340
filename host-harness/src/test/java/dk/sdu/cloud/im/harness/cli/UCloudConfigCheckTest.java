package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.cli.CliRuns.Run;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.testdata.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code config check} on a configuration written for UCloud's own IM, unchanged. */
class UCloudConfigCheckTest {
    @TempDir
    Path temp;

    @Test
    void acceptsUCloudsSampleConfigurationUnchangedAndNamesTheKeysWithoutEffect() {
        Path config = TestData.copyTo(TestData.CONFIG_UCLOUD_IM, temp.resolve("etc"));

        Run run = run("config", "check", "--config", config.toString(),
                "--plugins", BuiltPlugins.copyTo(temp.resolve("plugins")).toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("OK: ").contains("config-ucloud-im.yaml is valid")
                .contains("VM disk storage: CsiStaticPv (plugin 'storage-csi')")
                .contains("keys without effect in this IM (UCloud's IM reads them; accepted, not used): ")
                .contains("\n    provider.envoy: this IM needs no gateway of its own: Core calls its HTTP server directly\n")
                .doesNotContain("services.compute.publicIps:");

    }
}
