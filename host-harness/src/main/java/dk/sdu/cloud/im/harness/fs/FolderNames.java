package dk.sdu.cloud.im.harness.fs;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which strings can name one folder of the provider file system: job ids, user names and project ids
 * become folder names there ({@link ConfiguredProviderFileSystem}), and so does every part of a UCloud path.
 */
public final class FolderNames {
    /** The longest file name Linux file systems take, in bytes of UTF-8. */
    public static final int MAX_BYTES = 255;

    private FolderNames() {
    }

    /**
     * Why a value cannot name a folder, or empty when it can: it is missing or empty, is {@code .} or
     * {@code ..}, contains {@code /} or a control character, or is longer than {@link #MAX_BYTES}.
     */
    public static Optional<String> problem(String value) {
        if (value == null) {
            return Optional.of("is missing");
        }
        if (value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("may not be '" + value + "'");
        }
        if (value.indexOf('/') >= 0) {
            return Optional.of("may not contain '/'");
        }
        if (hasControlCharacter(value)) {
            return Optional.of("may not contain control characters (U+0000-U+001F, U+007F-U+009F)");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("is longer than " + MAX_BYTES + " bytes");
        }
        return Optional.empty();
    }

    /**
     * Whether a string has a control character: C0 (including NUL, tab and line breaks), DEL or C1. None
     * belongs in a name or a path, where it would end up in folder names, Kubernetes objects and logs.
     */
    public static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    /** A value for a message, with control characters as unicode escapes so that it stays on one line. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder text = new StringBuilder();
        value.chars().forEach(c -> text.append(Character.isISOControl(c) ? String.format("\\u%04X", c)
                : String.valueOf((char) c)));
        return text.toString();
    }
}
