package dk.sdu.cloud.im.agent.guest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the guest's files are. In a real guest a guest path is itself; in a simulated guest (embedded mode,
 * {@code --simulated-guest <root>}) every guest path is resolved under the root.
 */
public final class GuestLayout {
    public static final String CONFIG_FILE = "/etc/ucloud-agent/agent.json";
    public static final String SIMULATED_TAGS_FILE = "/etc/ucloud-agent/simulated-tags.json";
    public static final String WORK = "/work";
    public static final String HOME = "/home/ucloud";
    public static final String LAUNCHER = "/opt/ucloud/vmagent";

    private final Path root;

    private GuestLayout(Path root) {
        this.root = root;
    }

    public static GuestLayout real() {
        return new GuestLayout(null);
    }

    public static GuestLayout simulated(Path root) {
        return new GuestLayout(requireNonNull(root, "root is null").toAbsolutePath().normalize());
    }

    /** The simulated guest's root, or empty in a real guest. */
    public Optional<Path> simulatedRoot() {
        return Optional.ofNullable(root);
    }

    public boolean isSimulated() {
        return root != null;
    }

    /** The file that stands for an absolute guest path. */
    public Path resolve(String guestPath) {
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute guest path: " + guestPath);
        }
        if (root == null) {
            return Path.of(guestPath).normalize();
        }
        var resolved = root.resolve(guestPath.substring(1)).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("guest path leaves the simulated root: " + guestPath);
        }
        return resolved;
    }

    public Path configFile() {
        return resolve(CONFIG_FILE);
    }

    public Path simulatedTagsFile() {
        return resolve(SIMULATED_TAGS_FILE);
    }

    public Path work() {
        return resolve(WORK);
    }

    public Path launcher() {
        return resolve(LAUNCHER);
    }
}
