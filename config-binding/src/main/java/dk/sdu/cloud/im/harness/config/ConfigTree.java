package dk.sdu.cloud.im.harness.config;

import tools.jackson.databind.JsonNode;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A configuration file as read, before binding.
 *
 * @param file the file it was read from (for messages)
 * @param root the document's root mapping
 */
public record ConfigTree(Path file, JsonNode root) {
    public ConfigTree {
        requireNonNull(file, "file is null");
        requireNonNull(root, "root is null");
        if (!root.isObject()) {
            throw new IllegalArgumentException("the root of a configuration must be a mapping");
        }
    }

    /** The node at a dotted key path, or null when absent. */
    public JsonNode find(String path) {
        return KeyPaths.find(root, path);
    }

    /** The text at a path, when it is a scalar; null otherwise. */
    public String textAt(String path) {
        JsonNode node = find(path);
        return node != null && node.isValueNode() && !node.isNull() ? node.asString() : null;
    }
}
