package dk.sdu.cloud.im.agent.mounts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an entry must look like before anything is done with it: its values become arguments of
 * {@code sudo mount}, so a tag or file system type that looks like an option, or a path that is not a plain
 * absolute path, is refused.
 */
final class MountEntryCheck {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern FS_TYPE = Pattern.compile("[a-z0-9]{1,32}");

    private MountEntryCheck() {
    }

    /** What is wrong with the entry, or empty when nothing is. */
    static Optional<String> problem(MountEntry entry) {
        if (!TAG.matcher(entry.tag()).matches()) {
            return Optional.of("tag must be letters, digits, '.', '_' or '-' (at most 64), not starting with a sign");
        }
        if (!FS_TYPE.matcher(entry.fsType()).matches()) {
            return Optional.of("fsType must be lower-case letters and digits");
        }
        var path = entry.path();
        if (!path.startsWith("/") || path.equals("/") || path.endsWith("/") || path.contains("//")
                || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("path must be an absolute path below /");
        }
        for (var part : path.substring(1).split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return Optional.of("path must not contain '.' or '..'");
            }
        }
        return Optional.empty();
    }
}
