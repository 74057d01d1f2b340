package dk.sdu.cloud.im.harness.boot;

import dk.sdu.cloud.im.spi.host.Installation;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the IM's installation is, for {@link Installation}:
 * <ol>
 *   <li>the system property {@value HostOptions#HOME_PROPERTY}, which the launcher {@code bin/ucloud-im} sets;</li>
 *   <li>else, when the host's classes come from a jar in a folder {@code lib/}, that folder's parent (an
 *       installation started without the launcher);</li>
 *   <li>else, when they come from a build's {@code target/classes}, the installation the build makes beside them,
 *       {@code target/ucloud-im} (when it exists);</li>
 *   <li>else the working directory.</li>
 * </ol>
 */
public final class InstallationHome {
    /** The installation folder the build makes in {@code target/}. */
    static final String BUILT_INSTALLATION = "ucloud-im";

    private InstallationHome() {
    }

    /** The installation of this process. */
    public static Installation current() {
        return resolve(Optional.ofNullable(System.getProperty(HostOptions.HOME_PROPERTY)), codeSourceOf(InstallationHome.class),
                Path.of(""));
    }

    /**
     * @param property         the value of {@value HostOptions#HOME_PROPERTY}, when set
     * @param codeSource       where the host's classes were loaded from (a jar or a folder), when known
     * @param workingDirectory the working directory
     */
    static Installation resolve(Optional<String> property, Optional<Path> codeSource, Path workingDirectory) {
        requireNonNull(property, "property is null");
        requireNonNull(codeSource, "codeSource is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
        Optional<String> set = property.filter(p -> !p.isBlank());
        if (set.isPresent()) {
            return new Installation(absolute(Path.of(set.get())));
        }
        if (codeSource.isPresent()) {
            Path source = absolute(codeSource.get());
            Path parent = source.getParent();
            if (source.getFileName() != null && source.getFileName().toString().endsWith(".jar") && parent != null
                    && parent.getFileName() != null && parent.getFileName().toString().equals("lib")
                    && parent.getParent() != null) {
                return new Installation(parent.getParent());
            }
            if (source.getFileName() != null && source.getFileName().toString().equals("classes") && parent != null) {
                Path built = parent.resolve(BUILT_INSTALLATION);
                if (Files.isDirectory(built)) {
                    return new Installation(built);
                }
            }
        }
        return new Installation(absolute(workingDirectory));
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static Optional<Path> codeSourceOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
