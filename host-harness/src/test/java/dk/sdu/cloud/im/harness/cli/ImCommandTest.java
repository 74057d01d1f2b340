package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.PluginJarBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line, run in-process. */
class ImCommandTest {
    @TempDir
    Path temp;

    /** Exit status and both output streams of one run. */
    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ImCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Path plugins() {
        return BuiltPlugins.copyTo(temp.resolve("plugins"));
    }

    @Test
    void pluginsListsThePluginsTheirExtensionsAndTheSelection() {
        Run run = run("plugins", "--config", ExampleConfigs.file("config-csi.yaml").toString(), "--plugins", plugins().toString());

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("Plugins in " + temp.resolve("plugins").toAbsolutePath() + ": 3")
                .contains("  kubevirt 0.1.0-SNAPSHOT  im-plugin-kubevirt-0.1.0-SNAPSHOT.jar")
                .contains("    dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend  ComputeBackend  [selected]")
                .contains("  storage-csi 0.1.0-SNAPSHOT  im-plugin-storage-csi-0.1.0-SNAPSHOT.jar")
                .contains("  storage-hostpath 0.1.0-SNAPSHOT  im-plugin-storage-hostpath-0.1.0-SNAPSHOT.jar")
                .contains("    dk.sdu.cloud.im.storage.csi.CsiStaticPvDiskStorage  VmDiskStorage, storage type CsiStaticPv  [selected]")
                .contains("    dk.sdu.cloud.im.storage.hostpath.HostPathDiskStorage  VmDiskStorage, storage type HostPath\n")
                .contains("  VM disk storage: CsiStaticPv (plugin 'storage-csi')")
                .contains("  compute backends: dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend (plugin 'kubevirt')");
    }

    @Test
    void pluginsSaysWhenTheConfigurationNamesNoInstalledType() {
        Path config = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("services.compute.virtualMachines.storage.type", "Nfs").writeTo(temp.resolve("c.yaml"));
        Run run = run("plugins", "--config", config.toString(), "--plugins", plugins().toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("VM disk storage: 'Nfs' names no installed storage type (installed: CsiStaticPv, HostPath)")
                .doesNotContain("storage type CsiStaticPv  [selected]", "storage type HostPath  [selected]");
    }

    @Test
    void pluginsEndsWithTheWarningsAboutThePlugins() {
        Path plugins = plugins();
        PluginJarBuilder.plugin("bundles-guice", "1.0.0").bundle(com.google.inject.Injector.class)
                .entry("readme.txt", "x").build(plugins.resolve("bundles-guice.jar"));
        Run run = run("plugins", "--config", ExampleConfigs.file("config-csi.yaml").toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Warnings:\n  plugin 'bundles-guice' (bundles-guice.jar): bundles 1 class of "
                + "platform packages (com.google.inject)");
    }

    @Test
    void pluginsRefusesBundledPlatformClassesWhenTheConfigurationSaysSo() {
        Path plugins = plugins();
        PluginJarBuilder.plugin("bundles-guice", "1.0.0").bundle(com.google.inject.Injector.class)
                .entry("readme.txt", "x").build(plugins.resolve("bundles-guice.jar"));
        Path config = ExampleConfigs.of("config-csi.yaml").setYaml("harness.plugins.bundledPlatformClasses", "refuse")
                .writeTo(temp.resolve("c.yaml"));
        Run run = run("plugins", "--config", config.toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("plugin 'bundles-guice' (bundles-guice.jar): bundles 1 class")
                .contains("(refused: harness.plugins.bundledPlatformClasses is refuse)");
    }

    @Test
    void pluginsFailsNamingABrokenPlugin() throws Exception {
        Path plugins = plugins();
        Files.write(plugins.resolve("broken.jar"), new byte[]{1});
        Run run = run("plugins", "--config", ExampleConfigs.file("config-csi.yaml").toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(ImCommand.CANNOT_RUN);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("cannot start with the plugins in").contains("broken.jar: cannot be loaded as a plugin");
    }

    @Test
    void theCommandLineOfARunHoldsOnlyTheSubcommandItNames() {
        assertThat(ImCommand.commandLine(StartupTrace.off(), "config", "check", "--help").getSubcommands())
                .containsOnlyKeys("config");
        assertThat(ImCommand.commandLine(StartupTrace.off(), "--help").getSubcommands())
                .containsKeys("serve", "jobs", "ips", "render", "demo", "plugins", "config");
        assertThat(ImCommand.commandLine(StartupTrace.off(), "confg").getSubcommands()).hasSize(7);
        assertThat(ImCommand.commandLine(StartupTrace.off()).getSubcommands()).hasSize(7);
    }

    @Test
    void anUnknownSubcommandGetsSuggestionsFromEveryOne() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = ImCommand.commandLine(StartupTrace.off(), "confg");
        commandLine.setErr(new PrintWriter(err, true));

        assertThat(commandLine.execute("confg")).isEqualTo(ImCommand.CONFIG_PROBLEMS);
        assertThat(err.toString()).contains("Unmatched argument at index 0: 'confg'").contains("config");
    }

    @Test
    void configCheckWithTheTraceOnPrintsItsPhasesOnStderr() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"config", "check", "--config", ExampleConfigs.file("config-csi.yaml").toString(),
                "--plugins", plugins().toString()};
        CommandLine commandLine = ImCommand.commandLine(StartupTrace.startingNow(), args);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        assertThat(commandLine.execute(args)).isZero();

        assertThat(out.toString()).startsWith("OK: ");
        assertThat(err.toString()).startsWith("startup trace (im.startup.trace; ms since the process started):")
                .contains("plugins loaded (PF4J)").contains("configuration read and bound")
                .contains("injector and extensions (Guice)").contains("until now")
                .contains("CPU ms by thread");
    }

    @Test
    void configCheckSaysOkForAValidFile() {
        Run run = run("config", "check", "--config", ExampleConfigs.file("config-csi.yaml").toString(),
                "--plugins", plugins().toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("OK: ").contains("config-csi.yaml is valid")
                .contains("plugins: kubevirt, storage-csi, storage-hostpath")
                .contains("VM disk storage: CsiStaticPv (plugin 'storage-csi')")
                .contains("compute backends: dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void configCheckListsEveryProblemAndExitsWithTwo() {
        Path config = ExampleConfigs.of("config-hostpath.yaml")
                .remove("provider.id")
                .setYaml("services.compute.ssh.portMin", "abc")
                .setYaml("services.compute.virtualMachines.storage.hostPth", "/x")
                .writeTo(temp.resolve("bad.yaml"));
        Run run = run("config", "check", "--config", config.toString(), "--plugins", plugins().toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(config + ": 3 problems\n"
                + "  provider.id: missing required key (expected text)\n"
                + "  services.compute.ssh.portMin: expected an integer, got 'abc'\n"
                + "  services.compute.virtualMachines.storage.hostPth: unknown key 'hostPth' (did you mean 'hostPath'?); "
                + "known keys here: hostPath, type\n");
    }

    @Test
    void configCheckExitsWithOneWhenThePluginsCannotBeUsed() {
        Run run = run("config", "check", "--config", ExampleConfigs.file("config-csi.yaml").toString(),
                "--plugins", temp.resolve("no-such-dir").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no-such-dir").contains("does not exist");
    }

    @Test
    void configCheckReportsAMissingFile() {
        Run run = run("config", "check", "--config", temp.resolve("absent.yaml").toString(), "--plugins", plugins().toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("absent.yaml: 1 problem").contains("(file): file not found");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][]{{"--help"}, {"plugins", "--help"}, {"config", "--help"},
                {"config", "check", "--help"}, {"serve", "--help"}, {"jobs", "--help"}, {"jobs", "list", "--help"},
                {"jobs", "show", "--help"}, {"jobs", "shell", "--help"}, {"render", "--help"}, {"demo", "--help"}}) {
            Run run = run(command);
            assertThat(run.status()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).as(String.join(" ", command)).startsWith("Usage: ucloud-im");
        }
        assertThat(run("--help").out()).contains("plugins").contains("config").contains("serve").contains("jobs")
                .contains("render").contains("demo");
        assertThat(run("serve", "--help").out()).contains("--config=FILE").contains("--plugins=DIR")
                .contains("SIGTERM").contains("embedded").contains("routeBindAddress");
        assertThat(run("jobs", "list", "--help").out()).contains("--config=FILE").contains("--url=URL").contains("--token=TOKEN")
                .contains("--core-key=FILE");
        assertThat(run("jobs", "show", "--help").out()).contains("ID").contains("4 no such job");
        assertThat(run("jobs", "shell", "--help").out()).contains("ID").contains("--rank=N").contains("--command=CMD")
                .contains("--url=URL").contains("--timeout=SECONDS");
        assertThat(run("render", "--help").out()).contains("--job=FILE").contains("3 the backend rejects the job");
        assertThat(run("demo", "--help").out()).contains("--keep").contains("--verbose").contains("--step-timeout")
                .contains("qemu-utils");
        assertThat(run("plugins", "--help").out()).contains("--config=FILE").contains("--plugins=DIR");
        assertThat(run("config", "check", "--help").out()).contains("exits 2");
    }

    @Test
    void badUsageExitsWithTwo() {
        Run missingOption = run("config", "check");
        assertThat(missingOption.status()).isEqualTo(2);
        assertThat(missingOption.err()).contains("Missing required option: '--config=FILE'");

        Run missingSubcommand = run("config");
        assertThat(missingSubcommand.status()).isEqualTo(2);
        assertThat(missingSubcommand.err()).contains("Missing required subcommand");

        assertThat(run("serve").status()).isEqualTo(2);
    }

    @Test
    void versionIsTheBuildsVersion() {
        Run run = run("--version");
        assertThat(run.status()).isZero();
        assertThat(run.out().strip()).isEqualTo("ucloud-im 0.1.0-SNAPSHOT");
    }
}
