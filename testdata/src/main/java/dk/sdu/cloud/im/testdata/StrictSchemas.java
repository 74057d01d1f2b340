package dk.sdu.cloud.im.testdata;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Makes a Kubernetes structural schema strict the way the API server's strict field validation is
 * ({@code kubectl --validate=strict}): an object schema with {@code properties} accepts no other field, unless
 * it has {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields}. Without this a misspelt
 * field would pass a JSON-schema check and be pruned silently by the API server.
 *
 * <p>Used for KubeVirt's CRD schemas and for Kubernetes' own component schemas ({@link KubernetesSchemas}), which
 * follow the same structural rules.
 */
public final class StrictSchemas {
    private StrictSchemas() {
    }

    /**
     * Closes every object schema in {@code schema}, in place. Walks {@code properties}, {@code items} and
     * {@code additionalProperties} only, so that a field named "properties" is no keyword; {@code allOf},
     * {@code anyOf}, {@code oneOf} and {@code not} are left open, as in a structural schema they hold value
     * validations or a {@code $ref} whose target is closed where it is defined.
     */
    public static void closeObjects(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        boolean preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (node.has("properties") && !node.has("additionalProperties") && !preserveUnknown) {
            node.put("additionalProperties", false);
        }
        if (node.path("properties").isObject()) {
            for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
                closeObjects(property.getValue());
            }
        }
        closeObjects(node.path("items"));
        closeObjects(node.path("additionalProperties"));
    }
}
