package dk.sdu.cloud.im.harness.plugins;

import org.pf4j.PluginManager;

import java.nio.file.Path;
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
    private final HostPluginManager manager;

    InstalledPlugins(Path directory, List<InstalledPlugin> plugins, HostPluginManager manager) {
        this.directory = requireNonNull(directory, "directory is null");
        this.plugins = List.copyOf(plugins);
        this.manager = requireNonNull(manager, "manager is null");
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
