package dk.sdu.cloud.im.kubevirt.disk;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What {@code qemu-img info --output=json} says about an image.
 *
 * @param format        the format qemu-img detected, e.g. {@code qcow2} or {@code raw}
 * @param virtualSize   the size of the disk the image describes, in bytes
 * @param foreignFiles  files other than the image itself that opening it would read: backing files,
 *                      external data files, extents of a descriptor vmdk (empty for a self-contained image)
 */
public record ImageInfo(String format, long virtualSize, List<String> foreignFiles) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ImageInfo {
        requireNonNull(format, "format is null");
        foreignFiles = List.copyOf(foreignFiles);
    }

    /**
     * Reads qemu-img's JSON.
     *
     * @throws IllegalArgumentException when the text is not qemu-img's JSON
     */
    static ImageInfo parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("qemu-img info printed something that is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("format").isString()
                || !root.path("virtual-size").isNumber()) {
            throw new IllegalArgumentException("qemu-img info printed JSON without format and virtual-size");
        }
        String self = root.path("filename").asString("");
        List<String> foreign = new ArrayList<>();
        collectForeignFiles(root, self, foreign);
        return new ImageInfo(root.path("format").asString(), root.path("virtual-size").asLong(), foreign);
    }

    /**
     * Any backing file or external data file, and any {@code filename} that is not the image itself (the
     * extents of a vmdk descriptor), anywhere in the document: an image from the internet must not make
     * qemu-img read other files of the IM's host into a user's disk.
     */
    private static void collectForeignFiles(JsonNode node, String self, List<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                boolean reference = key.equals("backing-filename") || key.equals("full-backing-filename")
                        || key.equals("data-file");
                if (reference || (key.equals("filename") && !value.asString("").equals(self))) {
                    if (!out.contains(value.asString(""))) {
                        out.add(value.asString(""));
                    }
                } else {
                    collectForeignFiles(value, self, out);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collectForeignFiles(element, self, out);
            }
        }
    }
}
