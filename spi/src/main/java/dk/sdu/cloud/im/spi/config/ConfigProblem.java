package dk.sdu.cloud.im.spi.config;

import static java.util.Objects.requireNonNull;

/**
 * One problem in the configuration.
 *
 * @param path    the dotted key path of the offending key, e.g. {@code csi.subpathField} (relative to the
 *                section when returned by {@link ValidatedConfig#validate()}; the host makes it absolute)
 * @param message what is wrong, naming the bad value
 */
public record ConfigProblem(String path, String message) {
    public ConfigProblem {
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
