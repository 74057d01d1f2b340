package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.cli.CliRuns.Run;
import dk.sdu.cloud.im.harness.testing.JarRewriter;
import dk.sdu.cloud.im.harness.testing.TestPlugins;
import dk.sdu.cloud.im.spi.SpiVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ucloud-im plugins check JAR...}. */
class PluginsCheckCommandTest {
    @TempDir
    Path temp;

    @Test
    void aGoodJarIsReportedAndExitsWith0() {
        Path jar = TestPlugins.nfsStorage(temp);

        Run run = CliRuns.run("plugins", "check", jar.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(String.join(System.lineSeparator(),
                jar.toString(),
                "  descriptor: Plugin-Id storage-nfs-thirdparty, Plugin-Version 2.3.0, Plugin-Requires >=0.1.0, "
                        + "Plugin-Provider a third party (test), Plugin-Description built at test time",
                "  SPI: built against " + SpiVersion.current() + " (Plugin-Spi-Version); this host's SPI is "
                        + SpiVersion.current(),
                "  extension index: org.example.nfs.NfsDiskStorage",
                "  extensions:",
                "    org.example.nfs.NfsDiskStorage  VmDiskStorage, storage type ThirdPartyNfs",
                "  storage types: ThirdPartyNfs",
                "  bundled platform packages: none",
                "  OK: this host would load it and use its extensions",
                ""));
    }

    @Test
    void anyBadJarMakesItExitWith1AndSaysWhy() {
        Path good = TestPlugins.nfsStorage(temp);
        Path bad = JarRewriter.copyOf(good).manifest(SpiVersion.MANIFEST_ATTRIBUTE, "7.0.0").writeTo(temp.resolve("old.jar"));

        Run run = CliRuns.run("plugins", "check", good.toString(), bad.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out())
                .contains("  OK: this host would load it and use its extensions")
                .contains("  SPI: built against 7.0.0 (Plugin-Spi-Version)")
                .contains("  NOT OK: this host would refuse it, or load it and get nothing or a broken plugin from it:"
                        + System.lineSeparator() + "    plugin 'storage-nfs-thirdparty' (old.jar): refused: it was built "
                        + "against SPI 7.0.0");
    }

    @Test
    void itNeedsAJar() {
        Run run = CliRuns.run("plugins", "check");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'JAR'");
    }

    @Test
    void listingThePluginsStillNeedsAConfiguration() {
        Run run = CliRuns.run("plugins", "--plugins", temp.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--config=FILE'");
    }
}
