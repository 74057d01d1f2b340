package dk.sdu.cloud.im.agent.mounts;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads the mounts file ({@code mounts: [{tag, path, readOnly, fsType}]}); a missing file means no mounts. */
public final class MountsFileReader {
    private static final long MAX_BYTES = 1024 * 1024;

    private final YAMLMapper yaml;

    public MountsFileReader(YAMLMapper yaml) {
        this.yaml = requireNonNull(yaml, "yaml is null");
    }

    public List<MountEntry> read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + ": larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        JsonNode root;
        try {
            root = yaml.readTree(bytes);
        } catch (JacksonException e) {
            throw new IOException(file + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return List.of();
        }
        var mounts = root.get("mounts");
        if (mounts == null || mounts.isNull()) {
            return List.of();
        }
        if (!mounts.isArray()) {
            throw new IOException(file + ": mounts must be a list");
        }
        var entries = new ArrayList<MountEntry>();
        int index = 0;
        for (var node : mounts.values()) {
            entries.add(entry(file, index++, node));
        }
        return List.copyOf(entries);
    }

    private static MountEntry entry(Path file, int index, JsonNode node) throws IOException {
        var where = file + ": mounts[" + index + "]";
        if (!node.isObject()) {
            throw new IOException(where + " must be a mapping");
        }
        var tag = node.get("tag");
        var path = node.get("path");
        if (tag == null || !tag.isString() || path == null || !path.isString()) {
            throw new IOException(where + " needs tag and path");
        }
        var readOnly = node.get("readOnly");
        if (readOnly != null && !readOnly.isBoolean() && !readOnly.isNull()) {
            throw new IOException(where + ".readOnly must be true or false");
        }
        var fsType = node.get("fsType");
        if (fsType != null && !fsType.isString() && !fsType.isNull()) {
            throw new IOException(where + ".fsType must be a string");
        }
        return new MountEntry(tag.stringValue(), path.stringValue(), readOnly != null && readOnly.booleanValue(),
                fsType == null || fsType.isNull() ? MountEntry.DEFAULT_FS_TYPE : fsType.stringValue());
    }
}
