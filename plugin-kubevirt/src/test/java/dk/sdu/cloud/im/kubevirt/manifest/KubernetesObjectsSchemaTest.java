package dk.sdu.cloud.im.kubevirt.manifest;

import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.testdata.KubernetesSchemas;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Kubernetes object of the built-in kinds that the backend makes for a job (PVs, PVCs, the cloud-init
 * Secret, the NetworkPolicy, the Services) validates against Kubernetes' own schemas, as the VirtualMachine
 * does against KubeVirt's ({@link VirtualMachineSchemaTest}); and the check refuses a wrong object of each kind.
 */
class KubernetesObjectsSchemaTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AgentTokens TOKENS = GeneratedJobObjects.TOKENS;
    private static KubernetesSchemas schemas;

    @BeforeAll
    static void loadSchemas() {
        schemas = KubernetesSchemas.load();
    }

    private static JsonNode json(HasMetadata object) {
        return JSON.readTree(SERIALIZATION.asJson(object));
    }

    /** The objects of several jobs, running and halted, with both storage examples, by a readable name. */
    private static Map<String, JsonNode> generatedObjects() {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        GeneratedJobObjects.all().forEach((job, built) -> put(objects, job, built));
        return objects;
    }

    private static void put(Map<String, JsonNode> objects, String job, VmJobObjects built) {
        for (HasMetadata object : built.all()) {
            if (object != built.virtualMachine()) {
                objects.put(job + ": " + object.getKind() + "/" + object.getMetadata().getName(), json(object));
            }
        }
    }

    @Test
    void everyGeneratedObjectIsValid() {
        Map<String, JsonNode> objects = generatedObjects();
        Set<String> kinds = new TreeSet<>();
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        objects.forEach((name, object) -> {
            kinds.add(object.path("apiVersion").asString() + "/" + object.path("kind").asString());
            List<String> errors = schemas.validate(object);
            if (!errors.isEmpty()) {
                invalid.put(name, errors);
            }
        });
        assertThat(invalid).as("schema errors").isEmpty();
        assertThat(kinds).containsExactly("networking.k8s.io/v1/NetworkPolicy", "v1/PersistentVolume",
                "v1/PersistentVolumeClaim", "v1/Secret", "v1/Service");
        assertThat(objects.keySet()).as("the SSH Service of a running job")
                .anySatisfy(name -> assertThat(name).endsWith("Service/j-4242-ssh"));
        assertThat(objects).hasSizeGreaterThan(100);
    }

    @Test
    void objectsWithTheOwnerReferenceTheReconcilerAddsAreValid() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        VmJobObjects built = provider.objectsFactory().build(provider.admission().admit(ExampleJobs.vmJob()),
                VmJobRuntimeInputs.running(TOKENS, List.of(), OptionalInt.of(2001)));
        for (HasMetadata object : built.ownedByVirtualMachine()) {
            ObjectNode owned = (ObjectNode) json(object);
            ((ObjectNode) owned.path("metadata")).putArray("ownerReferences").add(JSON.readTree(
                    SERIALIZATION.asJson(new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1")
                            .withKind("VirtualMachine").withName("vm-4242-0").withUid("0b6c-uid")
                            .withController(true).withBlockOwnerDeletion(true).build())));
            assertThat(schemas.validate(owned)).as(object.getKind()).isEmpty();
        }
    }

    private static List<String> errorsAfter(String kind, Consumer<ObjectNode> change) {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.CSI);
        VmJobObjects built = provider.objectsFactory().build(provider.admission().admit(ExampleJobs.vmJob()),
                VmJobRuntimeInputs.running(TOKENS, List.of(), OptionalInt.of(2001)));
        ObjectNode object = (ObjectNode) json(built.all().stream().filter(o -> o.getKind().equals(kind))
                .findFirst().orElseThrow());
        assertThat(schemas.validate(object)).as("the unchanged " + kind).isEmpty();
        change.accept(object);
        return schemas.validate(object);
    }

    @Test
    void aWrongObjectOfEachKindIsRefused() {
        assertThat(errorsAfter("Service", s -> ((ObjectNode) s.at("/spec/ports/0")).put("port", "22")))
                .singleElement().asString().contains("/spec/ports/0/port");
        assertThat(errorsAfter("Service", s -> ((ObjectNode) s.path("spec")).put("selectr", "x")))
                .singleElement().asString().contains("selectr");
        assertThat(errorsAfter("NetworkPolicy", p -> ((ObjectNode) p.path("spec")).put("podSelector", "all")))
                .isNotEmpty().allSatisfy(error -> assertThat(error).contains("podSelector"));
        assertThat(errorsAfter("PersistentVolume", v -> ((ObjectNode) v.at("/spec/csi")).remove("volumeHandle")))
                .singleElement().asString().contains("volumeHandle");
        assertThat(errorsAfter("PersistentVolumeClaim", c -> ((ObjectNode) c.path("spec")).put("acessModes", "x")))
                .singleElement().asString().contains("acessModes");
        assertThat(errorsAfter("Secret", s -> s.put("immutable", "yes")))
                .singleElement().asString().contains("immutable");
    }
}
