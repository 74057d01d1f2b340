package dk.sdu.cloud.im.harness.plugins;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A started plugin.
 *
 * @param id          {@code Plugin-Id}
 * @param version     {@code Plugin-Version}
 * @param description {@code Plugin-Description} (may be empty)
 * @param provider    {@code Plugin-Provider} (may be empty)
 * @param jar         the plugin's jar
 * @param extensions  the extensions it offers, by class name
 */
public record InstalledPlugin(
        String id,
        String version,
        String description,
        String provider,
        Path jar,
        List<ExtensionInfo> extensions
) {
    public InstalledPlugin {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        description = description == null ? "" : description;
        provider = provider == null ? "" : provider;
        requireNonNull(jar, "jar is null");
        extensions = List.copyOf(extensions);
    }
}
