package dk.sdu.cloud.im.harness.boot;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a host finds its files.
 *
 * @param configFile       the YAML configuration
 * @param pluginsDirectory the plugin jars
 * @param stateDirectory   where the host keeps state: {@code secrets.json} and {@code ssh-keys/}; nothing is
 *                         written there until a plugin stores a secret
 */
public record HostOptions(Path configFile, Path pluginsDirectory, Path stateDirectory) {
    /** The system property the launcher sets to the installation's directory. */
    public static final String HOME_PROPERTY = "ucloud.im.home";

    public HostOptions {
        requireNonNull(configFile, "configFile is null");
        requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        requireNonNull(stateDirectory, "stateDirectory is null");
    }

    /** Options with the installation's default plugins and state directories. */
    public static HostOptions forConfig(Path configFile) {
        return new HostOptions(configFile, defaultPluginsDirectory(), defaultStateDirectory());
    }

    /** The installation directory, when started by the launcher ({@code -Ducloud.im.home}). */
    public static Optional<Path> installationHome() {
        return Optional.ofNullable(System.getProperty(HOME_PROPERTY)).filter(h -> !h.isBlank()).map(Path::of);
    }

    /** {@code <home>/plugins}, or {@code ./plugins} outside an installation. */
    public static Path defaultPluginsDirectory() {
        return installationHome().map(h -> h.resolve("plugins")).orElse(Path.of("plugins"));
    }

    /** {@code <home>/state}, or {@code ./state} outside an installation. */
    public static Path defaultStateDirectory() {
        return installationHome().map(h -> h.resolve("state")).orElse(Path.of("state"));
    }
}
