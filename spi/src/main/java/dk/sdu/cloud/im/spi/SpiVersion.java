package dk.sdu.cloud.im.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this SPI, as the build wrote it into the jar, and the manifest attribute in which a plugin
 * jar records the SPI version it was built against. The host compares the two when it loads a plugin; the
 * rules are in the host's documentation ({@code docs/host.md}, "SPI versions").
 */
public final class SpiVersion {
    /** The plugin jar's {@code META-INF/MANIFEST.MF} attribute, e.g. {@code Plugin-Spi-Version: 0.1.0}. */
    public static final String MANIFEST_ATTRIBUTE = "Plugin-Spi-Version";

    private static final String RESOURCE = "spi-version.properties";

    private SpiVersion() {
    }

    /** The version of this SPI, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = SpiVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the SPI's jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank() || version.contains("${")) {
                throw new IllegalStateException(RESOURCE + " has no version written by the build: " + version);
            }
            return version.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
