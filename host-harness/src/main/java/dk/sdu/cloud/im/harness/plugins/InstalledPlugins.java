package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.spi.SpiVersion;
import org.pf4j.PluginManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The started plugins of a plugins directory, every one of which loaded, started and passed the host's
 * checks. Closing stops and unloads them (closing their class loaders).
 */
public final class InstalledPlugins implements AutoCloseable {
    private final Path directory;
    private final List<InstalledPlugin> plugins;
    private final String spiVersion;
    private final HostPluginManager manager;

    InstalledPlugins(Path directory, List<InstalledPlugin> plugins, String spiVersion, HostPluginManager manager) {
        this.directory = requireNonNull(directory, "directory is null");
        this.plugins = List.copyOf(plugins);
        this.spiVersion = requireNonNull(spiVersion, "spiVersion is null");
        this.manager = requireNonNull(manager, "manager is null");
    }

    /** The host's SPI version, which every plugin was checked against. */
    public String spiVersion() {
        return spiVersion;
    }

    /**
     * What is doubtful about the plugins without stopping the host, one line each naming the plugin: a jar
     * without {@code Plugin-Spi-Version} (built before the key existed: its SPI cannot be checked), and
     * bundled platform classes ({@link #bundledPlatformClasses()}).
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        for (InstalledPlugin plugin : plugins) {
            if (plugin.spiVersion().isEmpty()) {
                warnings.add(plugin.label() + ": its manifest has no " + SpiVersion.MANIFEST_ATTRIBUTE
                        + ", so whether it fits this host's SPI " + spiVersion + " cannot be checked; rebuild it "
                        + "against im-spi " + spiVersion + " to record it");
            }
        }
        warnings.addAll(bundledPlatformClasses());
        return List.copyOf(warnings);
    }

    /** The plugins that bundle platform classes, one line each naming the plugin; empty when none does. */
    public List<String> bundledPlatformClasses() {
        return plugins.stream().filter(p -> p.bundled().any())
                .map(p -> p.label() + ": " + p.bundled().describe())
                .toList();
    }

    /**
     * Refuses the plugins when any of them bundles platform classes.
     *
     * @param why what makes this a refusal (the setting), appended to each problem
     * @throws PluginLoadException naming each plugin that bundles platform classes
     */
    public void refuseBundledPlatformClasses(String why) {
        List<String> problems = bundledPlatformClasses().stream().map(line -> line + " (refused: " + why + ")").toList();
        if (!problems.isEmpty()) {
            throw new PluginLoadException(directory, problems);
        }
    }

    /** The plugins directory. */
    public Path directory() {
        return directory;
    }

    /** The plugins, by id. */
    public List<InstalledPlugin> plugins() {
        return plugins;
    }

    /** Every extension of every plugin. */
    public List<ExtensionInfo> extensions() {
        return plugins.stream().flatMap(p -> p.extensions().stream()).toList();
    }

    /** The storage type names offered, sorted. */
    public List<String> storageTypes() {
        return List.copyOf(new TreeSet<>(extensions().stream()
                .filter(e -> e.is(ExtensionKind.VM_DISK_STORAGE))
                .map(e -> e.storageType().orElseThrow())
                .toList()));
    }

    /** The VM disk storage extension with this {@code @StorageType} name. */
    public Optional<ExtensionInfo> storage(String type) {
        return extensions().stream()
                .filter(e -> e.is(ExtensionKind.VM_DISK_STORAGE) && e.storageType().orElseThrow().equals(type))
                .findFirst();
    }

    /** Every compute backend extension. */
    public List<ExtensionInfo> computeBackends() {
        return extensions().stream().filter(e -> e.is(ExtensionKind.COMPUTE_BACKEND)).toList();
    }

    /** The plugin that offers an extension. */
    public InstalledPlugin pluginOf(ExtensionInfo extension) {
        return plugins.stream().filter(p -> p.id().equals(extension.pluginId())).findFirst().orElseThrow();
    }

    /** The factory that creates extensions through the host's injector, once one is attached. */
    public GuiceExtensionFactory extensionFactory() {
        return manager.guiceExtensionFactory();
    }

    /** PF4J's manager, for callers that need PF4J's own view (e.g. {@code getExtensions}). */
    public PluginManager pluginManager() {
        return manager;
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
