package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;

/**
 * {@code harness.plugins}: how strictly the host treats plugin jars. A key of the host itself (under
 * {@code harness}, like every key that UCloud/IM's own layout does not have), read once the plugins are
 * loaded, since the configuration is bound against them.
 *
 * @param bundledPlatformClasses {@code warn} (default) or {@code refuse}: a plugin jar that carries classes
 *                               of the platform's packages (the SPI, PF4J, fabric8, Jackson, Guice,
 *                               {@code jakarta.inject}, SLF4J)
 */
public record HarnessPluginsConfig(@ConfigDefault("warn") BundledPlatformClassesPolicy bundledPlatformClasses) {
    /** The key path of {@link #bundledPlatformClasses()}. */
    public static final String BUNDLED_PLATFORM_CLASSES_PATH = "harness.plugins.bundledPlatformClasses";
}
