package dk.sdu.cloud.im.harness.settings;

import static java.util.Objects.requireNonNull;

/**
 * A key of the configuration file that is accepted (UCloud/IM reads it) but has no effect in this IM.
 *
 * @param path the key path, e.g. {@code provider.envoy}
 * @param why  one line: why it has no effect
 */
public record KeyWithoutEffect(String path, String why) {
    public KeyWithoutEffect {
        requireNonNull(path, "path is null");
        requireNonNull(why, "why is null");
    }

    @Override
    public String toString() {
        return path + ": " + why;
    }
}
