package dk.sdu.cloud.im.testdata;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Kubernetes' own OpenAPI v3 schemas of the built-in kinds the IM creates (Service, NetworkPolicy, Ingress,
 * PersistentVolume, PersistentVolumeClaim, Secret), read from {@link TestData#KUBERNETES_SCHEMAS}, as a validator
 * that picks the schema by the object's {@code apiVersion} and {@code kind}.
 *
 * <p>The schemas are made strict ({@link StrictSchemas}): a misspelt field is an error, as with
 * {@code kubectl --validate=strict}. What the API server checks in code and not in its schema (names, label
 * syntax, port ranges, which values an enumerated field takes) is not checked here.
 *
 * <p>Needs {@code tools.jackson.core:jackson-databind} and {@code com.networknt:json-schema-validator} on the
 * class path (this module declares them optional).
 */
public final class KubernetesSchemas {
    private static final String COMPONENT = "#/components/schemas/";
    private static final String GROUP_VERSION_KIND = "x-kubernetes-group-version-kind";

    private final Map<String, Schema> byKind;

    private KubernetesSchemas(Map<String, Schema> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /** Reads and compiles the schemas (a fraction of a second; share the instance within a test class). */
    public static KubernetesSchemas load() {
        JsonNode document = JsonMapper.builder().build().readTree(TestData.read(TestData.KUBERNETES_SCHEMAS));
        ObjectNode components = ((ObjectNode) document.path("components").path("schemas")).deepCopy();
        for (Map.Entry<String, JsonNode> component : components.properties()) {
            StrictSchemas.closeObjects(component.getValue());
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
        Map<String, Schema> byKind = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> component : components.properties()) {
            for (JsonNode gvk : component.getValue().path(GROUP_VERSION_KIND)) {
                String group = gvk.path("group").asString();
                String version = gvk.path("version").asString();
                String apiVersion = group.isEmpty() ? version : group + "/" + version;
                // The $ref resolves inside this document: the root is the kind's schema, beside all components.
                ObjectNode root = JsonNodeFactory.instance.objectNode();
                root.put("$ref", COMPONENT + component.getKey());
                root.putObject("components").set("schemas", components);
                byKind.put(key(apiVersion, gvk.path("kind").asString()), registry.getSchema(root));
            }
        }
        return new KubernetesSchemas(byKind);
    }

    /** The kinds there is a schema for, as {@code apiVersion/kind}, e.g. {@code networking.k8s.io/v1/Ingress}. */
    public Set<String> kinds() {
        return byKind.keySet();
    }

    /** Whether there is a schema for the object's {@code apiVersion} and {@code kind}. */
    public boolean knows(JsonNode object) {
        requireNonNull(object, "object is null");
        return byKind.containsKey(key(object.path("apiVersion").asString(), object.path("kind").asString()));
    }

    /**
     * The object's validation errors, each naming the place in the object (e.g. {@code /spec/ports/0/port}),
     * empty when it is valid.
     *
     * @throws IllegalArgumentException when there is no schema for its {@code apiVersion} and {@code kind}
     */
    public List<String> validate(JsonNode object) {
        requireNonNull(object, "object is null");
        String key = key(object.path("apiVersion").asString(), object.path("kind").asString());
        Schema schema = byKind.get(key);
        if (schema == null) {
            throw new IllegalArgumentException("no Kubernetes schema for " + key + "; there are " + kinds());
        }
        return schema.validate(object).stream().map(Error::toString).toList();
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "/" + kind;
    }
}
