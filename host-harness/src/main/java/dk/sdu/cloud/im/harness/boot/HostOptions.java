package dk.sdu.cloud.im.harness.boot;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a host finds its files.
 *
 * @param configFile            the YAML configuration
 * @param pluginsDirectory      the plugin jars
 * @param dataDirectoryOverride where the host keeps its state, instead of {@code harness.dataDirectory} of the
 *                              configuration; empty to follow the configuration
 */
public record HostOptions(Path configFile, Path pluginsDirectory, Optional<Path> dataDirectoryOverride) {
    /** The system property the launcher sets to the installation's directory. */
    public static final String HOME_PROPERTY = "ucloud.im.home";

    public HostOptions {
        requireNonNull(configFile, "configFile is null");
        requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        requireNonNull(dataDirectoryOverride, "dataDirectoryOverride is null");
    }

    /** Options whose state lives where the configuration's {@code harness.dataDirectory} says. */
    public HostOptions(Path configFile, Path pluginsDirectory) {
        this(configFile, pluginsDirectory, Optional.empty());
    }

    /** Options whose state lives in {@code dataDirectory}, whatever the configuration says. */
    public HostOptions(Path configFile, Path pluginsDirectory, Path dataDirectory) {
        this(configFile, pluginsDirectory, Optional.of(requireNonNull(dataDirectory, "dataDirectory is null")));
    }

    /** Options with the installation's plugins directory. */
    public static HostOptions forConfig(Path configFile) {
        return new HostOptions(configFile, defaultPluginsDirectory());
    }

    /** The installation directory, when started by the launcher ({@code -Ducloud.im.home}). */
    public static Optional<Path> installationHome() {
        return Optional.ofNullable(System.getProperty(HOME_PROPERTY)).filter(h -> !h.isBlank()).map(Path::of);
    }

    /** {@code <home>/plugins}, or {@code ./plugins} outside an installation. */
    public static Path defaultPluginsDirectory() {
        return installationHome().map(h -> h.resolve("plugins")).orElse(Path.of("plugins"));
    }
}
