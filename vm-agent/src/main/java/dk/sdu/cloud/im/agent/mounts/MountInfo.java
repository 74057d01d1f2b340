package dk.sdu.cloud.im.agent.mounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mount points from {@code /proc/self/mountinfo} (proc(5)): the fifth field of each line is the mount point,
 * with space, tab, newline and backslash written as octal escapes.
 */
public final class MountInfo implements MountPoints {
    private final Path mountInfoFile;

    public MountInfo(Path mountInfoFile) {
        this.mountInfoFile = java.util.Objects.requireNonNull(mountInfoFile, "mountInfoFile is null");
    }

    @Override
    public boolean isMountPoint(Path path) {
        var wanted = path.toAbsolutePath().normalize().toString();
        try {
            for (var line : Files.readAllLines(mountInfoFile, StandardCharsets.UTF_8)) {
                var fields = line.split(" ");
                if (fields.length > 4 && unescape(fields[4]).equals(wanted)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountInfoFile, e);
        }
    }

    static String unescape(String field) {
        var out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            var c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
