package dk.sdu.cloud.im.agent.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks agent.json. Every problem is reported at once, by key. The parser's own messages are not
 * passed on: they may quote a piece of the file, and the file holds the tokens.
 */
public final class AgentConfigReader {
    private static final int MAX_CONFIG_BYTES = 64 * 1024;

    private final JsonMapper json;

    public AgentConfigReader(JsonMapper json) {
        this.json = java.util.Objects.requireNonNull(json, "json is null");
    }

    public AgentConfig read(Path file) throws AgentConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new AgentConfigException(file + ": larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AgentConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new AgentConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JacksonException e) {
            var location = e.getLocation();
            var where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            throw new AgentConfigException(file + ": not valid JSON" + where);
        }
        if (root == null || !root.isObject()) {
            throw new AgentConfigException(file + ": must hold a JSON object");
        }
        var problems = new ArrayList<String>();
        var endpoint = endpoint(root, problems);
        var jobId = requiredString(root, "jobId", problems);
        var agentToken = requiredString(root, "agentToken", problems);
        var serverToken = requiredString(root, "serverToken", problems);
        var mountsFile = mountsFile(root, problems);
        if (!problems.isEmpty()) {
            throw new AgentConfigException(file + ": " + String.join("; ", problems));
        }
        return new AgentConfig(endpoint, jobId, new Secret(agentToken), new Secret(serverToken), mountsFile);
    }

    private static URI endpoint(JsonNode root, List<String> problems) {
        var text = requiredString(root, "endpoint", problems);
        if (text == null) {
            return null;
        }
        try {
            var uri = new URI(text);
            var scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
                problems.add("endpoint: must be a ws:// or wss:// URL with a host, was '" + text + "'");
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add("endpoint: must not have a query or fragment, was '" + text + "'");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("endpoint: not a URL: '" + text + "'");
            return null;
        }
    }

    private static String mountsFile(JsonNode root, List<String> problems) {
        var node = root.get("mountsFile");
        if (node == null || node.isNull()) {
            return AgentConfig.DEFAULT_MOUNTS_FILE;
        }
        if (!node.isString() || !node.stringValue().startsWith("/")) {
            problems.add("mountsFile: must be an absolute path");
            return null;
        }
        return node.stringValue();
    }

    // Names the key only: the value may be a token.
    private static String requiredString(JsonNode root, String key, List<String> problems) {
        var node = root.get(key);
        if (node == null || node.isNull()) {
            problems.add(key + ": missing");
            return null;
        }
        if (!node.isString()) {
            problems.add(key + ": must be a string");
            return null;
        }
        var value = node.stringValue();
        if (value.isBlank()) {
            problems.add(key + ": must not be empty");
            return null;
        }
        if (value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            problems.add(key + ": must be printable ASCII without spaces");
            return null;
        }
        return value;
    }
}
