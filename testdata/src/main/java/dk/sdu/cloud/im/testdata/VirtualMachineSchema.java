package dk.sdu.cloud.im.testdata;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.List;

/**
 * KubeVirt v1.9.0's {@code v1} {@code openAPIV3Schema} of {@code virtualmachines.kubevirt.io}, read from
 * the test data's {@link TestData#KUBEVIRT_CRDS}, as a validator (OpenAPI 3.0 dialect).
 *
 * <p>The schema is made strict the way the API server's strict field validation is
 * ({@code kubectl --validate=strict}, see {@link StrictSchemas}): a misspelt field fails here instead of being
 * pruned silently by the API server. {@code x-kubernetes-*} keys
 * are vendor extensions that the validator ignores; int-or-string fields are {@code anyOf} integer/string.
 *
 * <p>Needs {@code jackson-databind}, {@code jackson-dataformat-yaml} and {@code json-schema-validator} on the
 * class path (this module declares them optional).
 */
public final class VirtualMachineSchema {
    /** The CRD whose {@code v1} schema this is. */
    public static final String CRD_NAME = "virtualmachines.kubevirt.io";

    private final Schema schema;

    private VirtualMachineSchema(Schema schema) {
        this.schema = schema;
    }

    /** Reads and compiles the schema (share the instance within a test class). */
    public static VirtualMachineSchema load() {
        JsonNode openApi = openApiV3Schema().deepCopy();
        StrictSchemas.closeObjects(openApi);
        return new VirtualMachineSchema(SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30()).getSchema(openApi));
    }

    /** The validation errors of a VirtualMachine as JSON, empty when it is valid. */
    public List<Error> validate(JsonNode virtualMachine) {
        return schema.validate(virtualMachine);
    }

    /** The {@value #CRD_NAME} CustomResourceDefinition. */
    public static JsonNode crd() {
        try (MappingIterator<JsonNode> documents = YAMLMapper.builder().build().readerFor(JsonNode.class)
                .readValues(TestData.read(TestData.KUBEVIRT_CRDS))) {
            while (documents.hasNext()) {
                JsonNode crd = documents.next();
                if (CRD_NAME.equals(crd.at("/metadata/name").asString())) {
                    return crd;
                }
            }
        }
        throw new AssertionError("No CustomResourceDefinition " + CRD_NAME + " in " + TestData.KUBEVIRT_CRDS);
    }

    private static JsonNode openApiV3Schema() {
        for (JsonNode version : crd().at("/spec/versions")) {
            if ("v1".equals(version.path("name").asString()) && version.at("/schema/openAPIV3Schema").isObject()) {
                return version.at("/schema/openAPIV3Schema");
            }
        }
        throw new AssertionError("No v1 openAPIV3Schema of " + CRD_NAME + " in " + TestData.KUBEVIRT_CRDS);
    }
}
