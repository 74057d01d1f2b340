package dk.sdu.cloud.im.agent.mounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** {@code simulated-tags.json}: {@code {"<tag>": "<absolute host folder>"}}, written by the simulator. */
public final class SimulatedTags {
    private SimulatedTags() {
    }

    public static Map<String, Path> read(JsonMapper json, Path file) throws IOException {
        try {
            var root = json.readTree(Files.readAllBytes(file));
            if (root == null || !root.isObject()) {
                throw new IOException(file + ": must hold a JSON object");
            }
            var tags = new HashMap<String, Path>();
            for (var entry : root.properties()) {
                var folder = entry.getValue();
                if (!folder.isString() || !folder.stringValue().startsWith("/")) {
                    throw new IOException(file + ": " + entry.getKey() + " must name an absolute folder");
                }
                tags.put(entry.getKey(), Path.of(folder.stringValue()));
            }
            return Map.copyOf(tags);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (JacksonException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
    }
}
