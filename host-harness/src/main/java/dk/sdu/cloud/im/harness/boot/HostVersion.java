package dk.sdu.cloud.im.harness.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The host's version, from the build.
 *
 * @param version the project version, e.g. {@code 0.1.0-SNAPSHOT}
 */
public record HostVersion(String version) {
    private static final String RESOURCE = "version.properties";

    public HostVersion {
        requireNonNull(version, "version is null");
    }

    /** The version this host was built as. */
    public static HostVersion current() {
        try (InputStream in = HostVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the host's jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return new HostVersion(properties.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version plugins' {@code Plugin-Requires} is checked against: the release the build leads to, i.e.
     * without a qualifier such as {@code -SNAPSHOT} ({@code 0.1.0-SNAPSHOT} gives {@code 0.1.0}).
     */
    public String systemVersion() {
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }
}
