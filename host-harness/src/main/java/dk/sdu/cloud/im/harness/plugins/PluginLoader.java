package dk.sdu.cloud.im.harness.plugins;

import dk.sdu.cloud.im.spi.SpiVersion;
import dk.sdu.cloud.im.spi.storage.StorageType;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads and starts every plugin jar of a directory and checks them; refuses (with
 * {@link PluginLoadException}) when anything is wrong, listing every problem with the plugin's id or jar:
 * a jar that is not a valid plugin, two plugins with one id, a plugin that failed or did not start (e.g. it
 * requires a newer host), a plugin built against an incompatible SPI ({@link SpiCompatibility}), an extension
 * class that cannot be loaded, a {@code VmDiskStorage} without {@code @StorageType}, two storage extensions
 * with one type, an extension without a usable constructor. What only deserves a warning (a jar without
 * {@code Plugin-Spi-Version}, bundled platform classes) is in {@link InstalledPlugins#warnings()}.
 */
public final class PluginLoader {
    private PluginLoader() {
    }

    /**
     * @param directory     the plugins directory; must exist (it may be empty)
     * @param systemVersion the host's version as plugins' {@code Plugin-Requires} see it, e.g. {@code 0.1.0}
     */
    public static InstalledPlugins load(Path directory, String systemVersion) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new PluginLoadException(absolute, List.of("the plugins directory does not exist (use --plugins DIR)"));
        }
        HostPluginManager manager = new HostPluginManager(absolute, systemVersion, SpiVersion.current());
        try {
            List<String> problems = new ArrayList<>();
            try {
                manager.loadPlugins();
            } catch (PluginRuntimeException e) {
                problems.add("the plugins' dependencies cannot be resolved: " + Reasons.of(e));
            }
            manager.startPlugins();
            problems.addAll(manager.loadFailures());

            List<InstalledPlugin> plugins = new ArrayList<>();
            for (PluginWrapper wrapper : sorted(manager.getPlugins())) {
                if (wrapper.getPluginState() != PluginState.STARTED) {
                    problems.add(label(wrapper) + ": did not start (" + wrapper.getPluginState() + "): "
                            + whyNotStarted(wrapper, manager));
                    continue;
                }
                plugins.add(inspect(wrapper, manager, problems));
            }
            checkUniqueStorageTypes(plugins, problems);
            if (!problems.isEmpty()) {
                throw new PluginLoadException(absolute, problems);
            }
            return new InstalledPlugins(absolute, plugins, manager.spiVersion(), manager);
        } catch (RuntimeException | Error e) {
            manager.stopPlugins();
            manager.unloadPlugins();
            throw e;
        }
    }

    private static List<PluginWrapper> sorted(List<PluginWrapper> wrappers) {
        return wrappers.stream().sorted(Comparator.comparing(PluginWrapper::getPluginId)).toList();
    }

    private static String whyNotStarted(PluginWrapper wrapper, HostPluginManager manager) {
        PluginDescriptor descriptor = wrapper.getDescriptor();
        String requires = descriptor.getRequires() == null ? "*" : descriptor.getRequires().trim();
        if (!requires.isEmpty() && !requires.equals("*")) {
            String constraint = requires.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires : requires;
            if (!manager.getVersionManager().checkVersionConstraint(manager.getSystemVersion(), constraint)) {
                return "it requires host version " + constraint + " (Plugin-Requires), this host is "
                        + manager.getSystemVersion();
            }
        }
        Throwable failure = wrapper.getFailedException();
        return failure == null ? "no reason given by PF4J" : Reasons.of(failure);
    }

    private static InstalledPlugin inspect(PluginWrapper wrapper, HostPluginManager manager, List<String> problems) {
        String id = wrapper.getPluginId();
        List<ExtensionInfo> extensions = new ArrayList<>();
        for (String className : new TreeSet<>(manager.getExtensionClassNames(id))) {
            Class<?> extensionClass;
            try {
                extensionClass = wrapper.getPluginClassLoader().loadClass(className);
            } catch (ClassNotFoundException | LinkageError e) {
                problems.add(label(wrapper) + ": extension " + className + " cannot be loaded: " + Reasons.of(e));
                continue;
            }
            Set<ExtensionKind> kinds = EnumSet.noneOf(ExtensionKind.class);
            for (ExtensionKind kind : ExtensionKind.values()) {
                if (kind.extensionPoint().isAssignableFrom(extensionClass)) {
                    kinds.add(kind);
                }
            }
            Optional<String> storageType = Optional.empty();
            if (kinds.contains(ExtensionKind.VM_DISK_STORAGE)) {
                StorageType annotation = extensionClass.getAnnotation(StorageType.class);
                if (annotation == null || annotation.value().isBlank()) {
                    problems.add(label(wrapper) + ": VmDiskStorage extension " + className + " has "
                            + (annotation == null ? "no @StorageType annotation" : "an empty @StorageType name")
                            + "; services.compute.virtualMachines.storage.type selects storage by that name");
                    continue;
                }
                storageType = Optional.of(annotation.value());
            }
            List<Class<?>> sections = List.of();
            if (!kinds.isEmpty()) {
                ConfigSectionScanner.Result scan = ConfigSectionScanner.scan(extensionClass);
                scan.problems().forEach(p -> problems.add(label(wrapper) + ": " + p));
                sections = scan.sections();
            }
            extensions.add(new ExtensionInfo(id, extensionClass, kinds, storageType, sections));
        }
        PluginDescriptor descriptor = wrapper.getDescriptor();
        PluginJarContents contents = manager.contents(id);
        return new InstalledPlugin(id, descriptor.getVersion(), descriptor.getPluginDescription(),
                descriptor.getProvider(), wrapper.getPluginPath(), extensions, contents.spiVersion(), contents.bundled());
    }

    private static void checkUniqueStorageTypes(List<InstalledPlugin> plugins, List<String> problems) {
        Map<String, List<String>> offeredBy = new LinkedHashMap<>();
        for (InstalledPlugin plugin : plugins) {
            for (ExtensionInfo extension : plugin.extensions()) {
                extension.storageType().ifPresent(type -> offeredBy.computeIfAbsent(type, t -> new ArrayList<>())
                        .add(extension.className() + " (plugin '" + plugin.id() + "', " + plugin.jar().getFileName() + ")"));
            }
        }
        offeredBy.forEach((type, offers) -> {
            if (offers.size() > 1) {
                problems.add("storage type '" + type + "' is offered more than once: " + String.join(" and ", offers)
                        + "; remove one of the plugins");
            }
        });
    }

    private static String label(PluginWrapper wrapper) {
        return "plugin '" + wrapper.getPluginId() + "' (" + wrapper.getPluginPath().getFileName() + ")";
    }
}
