package dk.sdu.cloud.im.kubevirt.manifest;

import com.networknt.schema.Error;
import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.cloudinit.AgentTokens;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.testdata.VirtualMachineSchema;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every VirtualMachine the backend makes validates against KubeVirt v1.9.0's own schema, and the check
 * rejects VMs that KubeVirt would reject.
 */
class VirtualMachineSchemaTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static VirtualMachineSchema schema;

    @BeforeAll
    static void loadSchema() {
        schema = VirtualMachineSchema.load();
    }

    private static JsonNode json(GenericKubernetesResource vm) {
        return JSON.readTree(SERIALIZATION.asJson(vm));
    }

    private static Map<String, JsonNode> generatedVirtualMachines() {
        Map<String, JsonNode> vms = new LinkedHashMap<>();
        GeneratedJobObjects.all().forEach((name, built) -> vms.put(name, json(built.virtualMachine())));
        for (String config : List.of(ExampleProvider.HOSTPATH, ExampleProvider.CSI)) {
            ExampleProvider provider = ExampleProvider.load(config);
            ExampleProvider podLevel = provider.withConfig(new KubeVirtConfig(true, true, "vm-golden-images",
                    "ws://ucloud-im:42000/api/vmagent", 300));
            vms.put(config + ": pod-level resources", json(podLevel.objectsFactory().build(
                    podLevel.admission().admit(ExampleJobs.vmJob()),
                    VmJobRuntimeInputs.running(new AgentTokens("a", "s"), List.of(), OptionalInt.empty()))
                    .virtualMachine()));
        }
        return vms;
    }

    @Test
    void everyGeneratedVirtualMachineIsValid() {
        Map<String, JsonNode> vms = generatedVirtualMachines();
        assertThat(vms).hasSize(22);
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        vms.forEach((name, vm) -> {
            List<Error> errors = schema.validate(vm);
            if (!errors.isEmpty()) {
                invalid.put(name, errors.stream().map(Error::toString).toList());
            }
        });
        assertThat(invalid).as("schema errors").isEmpty();
    }

    @Test
    void theVirtualMachineCoordinatesAreTheCrdsOwn() {
        JsonNode crd = VirtualMachineSchema.crd();
        assertThat(crd.at("/spec/group").asString()).isEqualTo(KubeVirtApi.GROUP);
        assertThat(crd.at("/spec/names/kind").asString()).isEqualTo(KubeVirtApi.VIRTUAL_MACHINE_KIND);
        assertThat(crd.at("/spec/names/plural").asString()).isEqualTo(KubeVirtApi.VIRTUAL_MACHINE_PLURAL);
        assertThat(KubeVirtApi.virtualMachines().getPlural()).isEqualTo("virtualmachines");
        assertThat(KubeVirtApi.virtualMachineInstances().getKind()).isEqualTo("VirtualMachineInstance");
    }

    private static List<String> errorsAfter(Consumer<ObjectNode> change) {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        ObjectNode vm = (ObjectNode) json(provider.objectsFactory().build(
                provider.admission().admit(ExampleJobs.vmJob()),
                VmJobRuntimeInputs.running(new AgentTokens("a", "s"), List.of(), OptionalInt.empty()))
                .virtualMachine());
        assertThat(schema.validate(vm)).as("the unchanged VM is valid").isEmpty();
        change.accept(vm);
        List<String> errors = new ArrayList<>();
        schema.validate(vm).forEach(error -> errors.add(error.toString()));
        return errors;
    }

    private static ObjectNode spec(ObjectNode vm) {
        return (ObjectNode) vm.path("spec");
    }

    @Test
    void runningAsAStringIsRejected() {
        assertThat(errorsAfter(vm -> spec(vm).put("running", "yes"))).anyMatch(e -> e.contains("running"));
    }

    @Test
    void runStrategyOfTheWrongTypeIsRejected() {
        assertThat(errorsAfter(vm -> spec(vm).put("runStrategy", 42))).anyMatch(e -> e.contains("runStrategy"));
    }

    @Test
    void aTemplateWithoutDevicesIsRejected() {
        assertThat(errorsAfter(vm -> ((ObjectNode) vm.at("/spec/template/spec/domain")).remove("devices")))
                .anyMatch(e -> e.contains("devices"));
    }

    @Test
    void aFilesystemWithoutVirtiofsIsRejected() {
        assertThat(errorsAfter(vm -> ((ObjectNode) vm.at("/spec/template/spec/domain/devices/filesystems/0"))
                .remove("virtiofs"))).anyMatch(e -> e.contains("virtiofs"));
    }

    @Test
    void aMisspeltFieldIsRejected() {
        assertThat(errorsAfter(vm -> ((ObjectNode) vm.at("/spec/template/spec/domain/devices/disks/0"))
                .put("bootorder", 1))).anyMatch(e -> e.contains("bootorder"));
    }

    @Test
    void aQuantityThatIsNotAQuantityIsRejected() {
        assertThat(errorsAfter(vm -> ((ObjectNode) vm.at("/spec/template/spec/domain/memory"))
                .put("guest", "sixteen gigabytes"))).anyMatch(e -> e.contains("guest"));
    }
}
