package dk.sdu.cloud.im.spi.host;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The IM's installation folder ({@code bin/}, {@code lib/}, {@code plugins/}, and {@code guest/} for files a
 * plugin hands to guests), so that a plugin's configuration can name a file of the installation by a relative
 * path.
 *
 * @param home the installation folder, absolute
 */
public record Installation(Path home) {
    public Installation {
        requireNonNull(home, "home is null");
        if (!home.isAbsolute()) {
            throw new IllegalArgumentException("the installation folder must be absolute, got " + home);
        }
    }

    /** An absolute path as it is; a relative one inside the installation. */
    public Path resolve(String path) {
        requireNonNull(path, "path is null");
        return home.resolve(path).normalize();
    }
}
