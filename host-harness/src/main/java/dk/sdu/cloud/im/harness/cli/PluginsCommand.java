package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostVersion;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.harness.config.ConfigException;
import dk.sdu.cloud.im.harness.config.ConfigTree;
import dk.sdu.cloud.im.harness.config.YamlConfigReader;
import dk.sdu.cloud.im.harness.plugins.ExtensionInfo;
import dk.sdu.cloud.im.harness.plugins.ExtensionKind;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugin;
import dk.sdu.cloud.im.harness.plugins.InstalledPlugins;
import dk.sdu.cloud.im.harness.plugins.PluginLoadException;
import dk.sdu.cloud.im.harness.plugins.PluginLoader;
import dk.sdu.cloud.im.harness.settings.BundledPlatformClassesPolicy;
import dk.sdu.cloud.im.harness.settings.HarnessPluginsConfig;
import dk.sdu.cloud.im.harness.settings.VirtualMachinesConfig;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ucloud-im plugins}, and {@code ucloud-im plugins check} ({@link PluginsCheckCommand}). */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        subcommands = PluginsCheckCommand.class,
        description = {
                "Lists the plugins of the plugins directory (id, version, jar), the extensions each offers "
                        + "(class, extension point, storage type) and which of them the configuration selects: "
                        + "the VM disk storage named by services.compute.virtualMachines.storage.type, and every "
                        + "compute backend.",
                "Loads and checks the plugins as a starting IM would, and fails the same way (exit 1), but reads "
                        + "only the selection and harness.plugins.bundledPlatformClasses from the configuration (use "
                        + "'config check' to check it all), creates no extension and contacts no cluster. Ends with "
                        + "the warnings about the plugins: a jar without Plugin-Spi-Version, bundled platform classes.",
                "'plugins check JAR...' checks jars before they are installed (see its --help)."
        })
final class PluginsCommand implements Callable<Integer> {
    private static final String ENABLED_PATH = "services.compute.virtualMachines.enabled";

    // Not HostLocationOptions: picocli would demand a required --config of 'plugins' from 'plugins check' too.
    @Option(names = "--config", paramLabel = "FILE",
            description = "The IM configuration file (YAML). Required (not by 'plugins check').")
    Path config;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The directory of plugin jars. Default: the installation's plugins/ when started by "
                    + "bin/ucloud-im, else plugins/ in the working directory.")
    Path plugins;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return CliLogging.warningsOnly(this::list);
    }

    private int list() {
        if (config == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        Path pluginsDirectory = plugins != null ? plugins : HostOptions.defaultPluginsDirectory();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StartupTrace trace = ImCommand.traceOf(spec);
        ConfigTree tree;
        try {
            tree = trace.time("configuration read (YAML)", () -> new YamlConfigReader().read(config));
        } catch (ConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(p -> err.println(config + ": " + p));
            return ImCommand.CONFIG_PROBLEMS;
        }
        try (InstalledPlugins plugins = trace.time("plugins loaded (PF4J)",
                () -> PluginLoader.load(pluginsDirectory, HostVersion.current().systemVersion()))) {
            if (BundledPlatformClassesPolicy.REFUSE.configName()
                    .equals(tree.textAt(HarnessPluginsConfig.BUNDLED_PLATFORM_CLASSES_PATH))) {
                ImHost.checkBundledPlatformClasses(plugins, BundledPlatformClassesPolicy.REFUSE);
            }
            Optional<String> storageType = Optional.ofNullable(tree.textAt(VirtualMachinesConfig.STORAGE_TYPE_PATH));
            JsonNode enabled = tree.find(ENABLED_PATH);
            boolean vmsEnabled = enabled != null && enabled.isBoolean() && enabled.booleanValue();
            printPlugins(out, plugins, vmsEnabled ? storageType : Optional.empty());
            printSelection(out, plugins, storageType, vmsEnabled);
            printWarnings(out, plugins);
            ImCommand.printTrace(trace, err);
            return 0;
        } catch (PluginLoadException e) {
            err.println(e.getMessage());
            return ImCommand.CANNOT_RUN;
        }
    }

    private static void printPlugins(PrintWriter out, InstalledPlugins plugins, Optional<String> storageType) {
        out.println("Plugins in " + plugins.directory() + ": " + plugins.plugins().size());
        for (InstalledPlugin plugin : plugins.plugins()) {
            out.println("  " + plugin.id() + " " + plugin.version() + "  " + plugin.jar().getFileName()
                    + (plugin.description().isBlank() ? "" : "  - " + plugin.description()));
            if (plugin.extensions().isEmpty()) {
                out.println("    (no extensions: the jar has no META-INF/extensions.idx entries)");
            }
            for (ExtensionInfo extension : plugin.extensions()) {
                out.println("    " + extension.className() + "  " + describe(extension)
                        + (isSelected(extension, storageType) ? "  [selected]" : ""));
            }
        }
    }

    private static void printWarnings(PrintWriter out, InstalledPlugins plugins) {
        List<String> warnings = plugins.warnings();
        if (!warnings.isEmpty()) {
            out.println("Warnings:");
            warnings.forEach(warning -> out.println("  " + warning));
        }
    }

    private static String describe(ExtensionInfo extension) {
        if (extension.kinds().isEmpty()) {
            return "(implements no extension point of this host; not used)";
        }
        String points = extension.kinds().stream().sorted().map(ExtensionKind::displayName)
                .collect(Collectors.joining(", "));
        return points + extension.storageType().map(type -> ", storage type " + type).orElse("");
    }

    private static boolean isSelected(ExtensionInfo extension, Optional<String> storageType) {
        return extension.is(ExtensionKind.COMPUTE_BACKEND)
                || extension.storageType().isPresent() && extension.storageType().equals(storageType);
    }

    private static void printSelection(PrintWriter out, InstalledPlugins plugins, Optional<String> storageType,
                                       boolean vmsEnabled) {
        out.println("Selected by the configuration:");
        String storage = storageType.map(type -> plugins.storage(type)
                        .map(e -> type + " (plugin '" + e.pluginId() + "')")
                        .orElse("'" + type + "' names no installed storage type (installed: "
                                + (plugins.storageTypes().isEmpty() ? "none" : String.join(", ", plugins.storageTypes())) + ")"))
                .orElse("none named (services.compute.virtualMachines.storage.type)");
        out.println("  VM disk storage: " + storage + (vmsEnabled ? "" : "; virtual machines are disabled"));
        out.println("  compute backends: " + (plugins.computeBackends().isEmpty()
                ? "none installed"
                : plugins.computeBackends().stream().map(e -> e.className() + " (plugin '" + e.pluginId() + "')")
                .collect(Collectors.joining(", "))));
    }
}
