package dk.sdu.cloud.im.harness.plugins;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 * @param spiVersion  {@code Plugin-Spi-Version}, the SPI it was built against; empty for a jar built without it
 * @param bundled     the platform classes its jar carries (which the host never loads)
 */
public record InstalledPlugin(
        String id,
        String version,
        String description,
        String provider,
        Path jar,
        List<ExtensionInfo> extensions,
        Optional<String> spiVersion,
        BundledPlatformClasses bundled
) {
    public InstalledPlugin {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        description = description == null ? "" : description;
        provider = provider == null ? "" : provider;
        requireNonNull(jar, "jar is null");
        extensions = List.copyOf(extensions);
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(bundled, "bundled is null");
    }

    /** How the plugin is named in messages: its id and its jar. */
    public String label() {
        return "plugin '" + id + "' (" + jar.getFileName() + ")";
    }
}
