package dk.sdu.cloud.im.simulator;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The smallest OpenAPI v3 documents that let {@code kubectl apply} and {@code create} run with their default
 * validation: {@code /openapi/v3} lists a document per group version, and each document has, for every kind, the
 * PATCH operation of an object with the {@code x-kubernetes-group-version-kind} it is for and the
 * {@code fieldValidation} query parameter. That is what kubectl looks for to decide that the server validates
 * fields itself (it then sends {@code fieldValidation=Strict} and validates nothing on its side); without it,
 * it wants the full schemas and fails. The embedded API validates nothing (like its admission, see the module's
 * docs): a field that does not exist is stored as sent. No schemas are given, so {@code kubectl explain} finds
 * nothing to explain.
 */
final class OpenApiDocuments {

    private static final String ROOT = "/openapi/v3";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * The document for a path (without query) under {@code /openapi/v3}, or empty.
     *
     * @param resources what discovery serves now
     */
    Optional<String> document(String path, List<ApiDiscovery.Resource> resources) {
        requireNonNull(path, "path is null");
        Map<String, ObjectNode> documents = documents(resources);
        if (path.equals(ROOT) || path.equals(ROOT + "/")) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode paths = root.putObject("paths");
            documents.forEach((groupVersionPath, document) -> paths.putObject(groupVersionPath)
                    .put("serverRelativeURL", ROOT + "/" + groupVersionPath + "?hash=" + hash(document)));
            return Optional.of(JSON.writeValueAsString(root));
        }
        if (!path.startsWith(ROOT + "/")) {
            return Optional.empty();
        }
        return Optional.ofNullable(documents.get(path.substring(ROOT.length() + 1))).map(JSON::writeValueAsString);
    }

    // By group version path ("api/v1", "apis/kubevirt.io/v1"), one document each.
    private static Map<String, ObjectNode> documents(List<ApiDiscovery.Resource> resources) {
        Map<String, ObjectNode> documents = new LinkedHashMap<>();
        for (ApiDiscovery.Resource resource : resources) {
            if (resource.name().contains("/")) {
                continue;           // subresources: kubectl looks only at objects
            }
            String groupVersionPath = resource.group().isEmpty() ? "api/" + resource.version()
                    : "apis/" + resource.group() + "/" + resource.version();
            ObjectNode document = documents.computeIfAbsent(groupVersionPath, ignored -> {
                ObjectNode created = JSON.createObjectNode();
                created.put("openapi", "3.0.0");
                created.putObject("info").put("title", "Kubernetes (UCloud IM embedded API)").put("version", "v1.32.0");
                created.putObject("paths");
                return created;
            });
            String objectPath = "/" + groupVersionPath + (resource.namespaced() ? "/namespaces/{namespace}" : "")
                    + "/" + resource.name() + "/{name}";
            ObjectNode patch = ((ObjectNode) document.get("paths")).putObject(objectPath).putObject("patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", resource.group())
                    .put("version", resource.version()).put("kind", resource.kind());
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
            patch.putObject("responses");
        }
        return documents;
    }

    private static String hash(ObjectNode document) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(document).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
