package dk.sdu.cloud.im.harness.plugins;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * An extension a plugin offers, as found without creating it.
 *
 * @param pluginId       the plugin that offers it
 * @param extensionClass the extension class (loaded by the plugin's class loader)
 * @param kinds          the host's extension points it implements; empty when none (then the host ignores it)
 * @param storageType    its {@code @StorageType} name, for a VM disk storage
 * @param configSections the {@code @ConfigSection} records its constructor needs, directly or through the
 *                       plugin's own injectable classes
 */
public record ExtensionInfo(
        String pluginId,
        Class<?> extensionClass,
        Set<ExtensionKind> kinds,
        Optional<String> storageType,
        List<Class<?>> configSections
) {
    public ExtensionInfo {
        requireNonNull(pluginId, "pluginId is null");
        requireNonNull(extensionClass, "extensionClass is null");
        kinds = Set.copyOf(kinds);
        requireNonNull(storageType, "storageType is null");
        configSections = List.copyOf(configSections);
    }

    /** Whether it implements an extension point. */
    public boolean is(ExtensionKind kind) {
        return kinds.contains(kind);
    }

    /** The extension class's name. */
    public String className() {
        return extensionClass.getName();
    }
}
