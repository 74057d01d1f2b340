package dk.sdu.cloud.im.kubevirt.admission;

/**
 * Text from a job, as admission checks and quotes it. A control character (C0 such as NUL and line breaks,
 * DEL, C1) has no place in a name or a path, and is quoted as a unicode escape so that a rejection
 * stays one readable line wherever it ends up.
 */
final class UserText {
    private static final int MAX_QUOTED = 200;

    private UserText() {
    }

    static boolean hasControlCharacter(String value) {
        return value != null && value.chars().anyMatch(Character::isISOControl);
    }

    /** The value for a message: at most {@value #MAX_QUOTED} characters, control characters escaped. */
    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
        StringBuilder text = new StringBuilder();
        shown.chars().forEach(c -> text.append(Character.isISOControl(c) ? String.format("\\u%04X", c)
                : String.valueOf((char) c)));
        return text.toString();
    }
}
