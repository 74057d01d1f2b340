package dk.sdu.cloud.im.harness.config;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * Dotted key paths such as {@code services.compute.ssh.portMin}; list elements are written {@code cpu[2]}.
 * The empty path is the document's root.
 */
public final class KeyPaths {
    private KeyPaths() {
    }

    /** The path of a key below a parent path. */
    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The path of a list element. */
    public static String element(String list, int index) {
        return list + "[" + index + "]";
    }

    /** Whether {@code path} lies strictly below {@code ancestor}. */
    public static boolean isBelow(String path, String ancestor) {
        return ancestor.isEmpty() ? !path.isEmpty() : path.startsWith(ancestor + ".");
    }

    /** {@code path} relative to {@code ancestor}, which must be an ancestor of it (or the path itself). */
    public static String relative(String path, String ancestor) {
        if (path.equals(ancestor)) {
            return "";
        }
        if (!isBelow(path, ancestor)) {
            throw new IllegalArgumentException(path + " is not below " + ancestor);
        }
        return ancestor.isEmpty() ? path : path.substring(ancestor.length() + 1);
    }

    /** The keys of a path, root first; empty for the root. */
    public static List<String> keys(String path) {
        return path.isEmpty() ? List.of() : List.of(path.split("\\."));
    }

    /**
     * Whether a path is usable as a section path: non-empty keys of letters, digits, {@code -} and
     * {@code _}, separated by single dots.
     */
    public static boolean isValidSectionPath(String path) {
        return path != null && path.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    }

    /** The node at a path, following object keys only; null when any key on the way is absent. */
    public static JsonNode find(JsonNode root, String path) {
        JsonNode node = root;
        for (String key : keys(path)) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        return node;
    }
}
