package dk.sdu.cloud.im.kubevirt.reconcile;

import io.fabric8.kubernetes.api.model.Quantity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of an object the plugin manages, compared and written as JSON trees.
 *
 * <p>Managed are: every top-level field but {@code apiVersion}, {@code kind}, {@code metadata} and
 * {@code status}; labels and annotations the plugin sets; its owner references. A field matches when the
 * server has what the plugin wants; what the server adds (defaults, {@code clusterIP}, a volume's
 * {@code claimRef}, {@code resourceVersion}, {@code uid}, ...) is ignored. A label or annotation under
 * {@code ucloud.dk/} that the plugin no longer wants is a difference, and goes on the next write; the mark
 * {@code ucloud.dk/adopted} of an object adopted from UCloud's IM is kept. Other fields
 * the plugin stops setting are not noticed unless they sit in a list (lists are compared whole).
 */
final class ManagedFields {

    private static final Set<String> UNMANAGED_TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "status");
    /** Fields whose values are Kubernetes quantities the server writes back in canonical form ("1000m" -> "1"). */
    private static final Set<String> QUANTITY_PARENTS = Set.of("requests", "limits", "capacity");
    private static final Set<String> QUANTITY_FIELDS = Set.of("guest");

    private ManagedFields() {
    }

    /** Whether the server's object has everything the plugin wants. */
    static boolean match(JsonNode desired, JsonNode actual) {
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            if (!UNMANAGED_TOP_LEVEL.contains(field.getKey())
                    && !contains(field.getValue(), actual.path(field.getKey()), field.getKey(), "")) {
                return false;
            }
        }
        JsonNode wanted = desired.path("metadata");
        JsonNode current = actual.path("metadata");
        return ownedMapMatches(wanted.path("labels"), current.path("labels"))
                && ownedMapMatches(wanted.path("annotations"), current.path("annotations"))
                && ownerReferencesMatch(wanted.path("ownerReferences"), current.path("ownerReferences"));
    }

    /** The first managed top-level field (or metadata part) that differs, for messages and logs. */
    static String firstDifference(JsonNode desired, JsonNode actual) {
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            if (!UNMANAGED_TOP_LEVEL.contains(field.getKey())
                    && !contains(field.getValue(), actual.path(field.getKey()), field.getKey(), "")) {
                return field.getKey();
            }
        }
        return "metadata";
    }

    /**
     * Whether {@code actual} holds {@code desired}: every field of a desired object is in the actual one,
     * lists have the same length and hold each other element by element, scalars are equal.
     */
    static boolean contains(JsonNode desired, JsonNode actual, String key, String parentKey) {
        if (desired == null || desired.isNull() || desired.isMissingNode()) {
            return true;
        }
        if (desired.isObject()) {
            if (actual.isMissingNode() || actual.isNull()) {
                return desired.isEmpty();
            }
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : desired.properties()) {
                if (!contains(field.getValue(), actual.path(field.getKey()), field.getKey(), key)) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (actual.isMissingNode() || actual.isNull()) {
                return desired.isEmpty();
            }
            if (!actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(desired.get(i), actual.get(i), key, parentKey)) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isNumber() && actual.isNumber()) {
            return desired.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (desired.equals(actual)) {
            return true;
        }
        return desired.isString() && actual.isString()
                && (QUANTITY_PARENTS.contains(parentKey) || QUANTITY_FIELDS.contains(key))
                && sameQuantity(desired.asString(), actual.asString());
    }

    private static boolean sameQuantity(String a, String b) {
        try {
            return Quantity.getAmountInBytes(new Quantity(a)).compareTo(Quantity.getAmountInBytes(new Quantity(b))) == 0;
        } catch (IllegalArgumentException | ArithmeticException notQuantities) {
            return false;
        }
    }

    /** Labels or annotations: the wanted ones are there, and no unwanted one of the plugin's is. */
    private static boolean ownedMapMatches(JsonNode wanted, JsonNode current) {
        for (Map.Entry<String, JsonNode> entry : wanted.properties()) {
            if (!entry.getValue().equals(current.get(entry.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, JsonNode> entry : current.properties()) {
            if (entry.getKey().startsWith(KubeVirtObjects.OWN_PREFIX) && !wanted.has(entry.getKey())
                    && !KubeVirtObjects.ADOPTED.equals(entry.getKey())) {
                return false;
            }
        }
        return true;
    }

    private static boolean ownerReferencesMatch(JsonNode wanted, JsonNode current) {
        List<String> wantedKeys = ownerKeys(wanted, false);
        List<String> currentVmKeys = ownerKeys(current, true);
        List<String> currentKeys = ownerKeys(current, false);
        return currentKeys.containsAll(wantedKeys) && wantedKeys.containsAll(currentVmKeys);
    }

    private static List<String> ownerKeys(JsonNode references, boolean virtualMachinesOnly) {
        List<String> keys = new ArrayList<>();
        for (JsonNode reference : references) {
            if (!virtualMachinesOnly || "VirtualMachine".equals(reference.path("kind").asString(""))) {
                keys.add(reference.path("apiVersion").asString("") + "/" + reference.path("kind").asString("")
                        + "/" + reference.path("name").asString("") + "/" + reference.path("uid").asString(""));
            }
        }
        return keys;
    }

    /**
     * What to PUT: the server's object (so its {@code resourceVersion} and what the server set stay) with the
     * plugin's fields written over it. Objects are merged into, lists and scalars replaced; the fields named
     * in {@code replacedWhole} are replaced whole.
     */
    static ObjectNode overlay(JsonNode actual, JsonNode desired, Set<String> replacedWhole) {
        ObjectNode result = (ObjectNode) actual.deepCopy();
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            String key = field.getKey();
            if (UNMANAGED_TOP_LEVEL.contains(key)) {
                continue;
            }
            if (replacedWhole.contains(key) || !field.getValue().isObject() || !result.path(key).isObject()) {
                result.set(key, field.getValue().deepCopy());
            } else {
                merge((ObjectNode) result.get(key), (ObjectNode) field.getValue());
            }
        }
        ObjectNode metadata = (ObjectNode) result.get("metadata");
        JsonNode wanted = desired.path("metadata");
        overlayOwnedMap(metadata, "labels", wanted.path("labels"));
        overlayOwnedMap(metadata, "annotations", wanted.path("annotations"));
        ArrayNode owners = JsonNodeFactory.instance.arrayNode();
        for (JsonNode reference : metadata.path("ownerReferences")) {
            if (!"VirtualMachine".equals(reference.path("kind").asString(""))) {
                owners.add(reference);
            }
        }
        wanted.path("ownerReferences").forEach(owners::add);
        if (owners.isEmpty()) {
            metadata.remove("ownerReferences");
        } else {
            metadata.set("ownerReferences", owners);
        }
        return result;
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        for (Map.Entry<String, JsonNode> field : source.properties()) {
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static void overlayOwnedMap(ObjectNode metadata, String name, JsonNode wanted) {
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : metadata.path(name).properties()) {
            if (!entry.getKey().startsWith(KubeVirtObjects.OWN_PREFIX) || wanted.has(entry.getKey())
                    || KubeVirtObjects.ADOPTED.equals(entry.getKey())) {
                map.set(entry.getKey(), entry.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> entry : wanted.properties()) {
            map.set(entry.getKey(), entry.getValue().deepCopy());
        }
        if (map.isEmpty()) {
            metadata.remove(name);
        } else {
            metadata.set(name, map);
        }
    }
}
