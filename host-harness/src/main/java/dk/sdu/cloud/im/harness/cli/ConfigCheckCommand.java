package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostAssemblyException;
import dk.sdu.cloud.im.harness.boot.HostConfiguration;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.plugins.ExtensionInfo;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugin;
import dk.sdu.cloud.im.harness.plugins.PluginLoadException;
import dk.sdu.cloud.im.harness.settings.KeyWithoutEffect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ucloud-im config check}. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
                "Checks a configuration file as a starting IM would: loads and checks the plugins, binds the host's "
                        + "keys and the sections of the extensions that would be created (the selected VM disk "
                        + "storage and every compute backend), and creates those extensions. Contacts no cluster.",
                "A configuration written for UCloud's own IM is accepted unchanged: its keys that have no effect "
                        + "in this IM are listed after OK (key path and why); files and folders they name are not "
                        + "checked to exist.",
                "Prints OK and exits 0 when the file is valid; lists every problem (key path, value, what is "
                        + "wrong) and exits 2 when it is not; exits 1 when the plugins cannot be used or the "
                        + "extensions cannot be created."
        })
final class ConfigCheckCommand implements Callable<Integer> {

    @Mixin
    HostLocationOptions locations;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return CliLogging.warningsOnly(this::check);
    }

    private int check() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StartupTrace trace = ImCommand.traceOf(spec);
        try (ImHost host = ImHost.assemble(locations.hostOptions(), trace)) {
            ImCommand.printTrace(trace, err);
            out.println("OK: " + locations.config + " is valid");
            String plugins = host.plugins().plugins().stream().map(InstalledPlugin::id).collect(Collectors.joining(", "));
            out.println("  plugins: " + (plugins.isEmpty() ? "none" : plugins));
            out.println("  VM disk storage: " + storageSummary(host.configuration()));
            out.println("  compute backends: " + (host.configuration().computeBackends().isEmpty() ? "none installed"
                    : host.configuration().computeBackends().stream().map(ExtensionInfo::className)
                    .collect(Collectors.joining(", "))));
            List<KeyWithoutEffect> withoutEffect = host.configuration().withoutEffect();
            if (!withoutEffect.isEmpty()) {
                out.println("  keys without effect in this IM (UCloud's IM reads them; accepted, not used): "
                        + withoutEffect.size());
                withoutEffect.forEach(key -> out.println("    " + key));
            }
            return 0;
        } catch (ConfigException e) {
            CliErrors.printConfigProblems(err, e);
            return ImCommand.CONFIG_PROBLEMS;
        } catch (PluginLoadException | HostAssemblyException e) {
            err.println(e.getMessage());
            return ImCommand.CANNOT_RUN;
        }
    }

    private static String storageSummary(HostConfiguration configuration) {
        if (!configuration.virtualMachinesEnabled()) {
            return "none (virtual machines are disabled)";
        }
        return configuration.storage()
                .map(s -> s.storageType().orElseThrow() + " (plugin '" + s.pluginId() + "')")
                .orElse("none");
    }
}
