package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.testdata.KubernetesSchemas;
import dk.sdu.cloud.im.testdata.TestData;
import dk.sdu.cloud.im.testdata.VirtualMachineSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ucloud-im render} of the networked example job (a public IP, two public links, a private network) with
 * its resources file and the installation's plugins: every object it prints validates against Kubernetes' own
 * schemas ({@link KubernetesSchemas}), the VirtualMachine against KubeVirt's ({@link VirtualMachineSchema}).
 */
class NetworkedRenderSchemaTest {
    @TempDir
    static Path temp;

    private static Path plugins;
    private static Path job;
    private static Path resources;
    private static KubernetesSchemas schemas;
    private static VirtualMachineSchema virtualMachineSchema;

    @BeforeAll
    static void setUp() {
        plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        job = TestData.copyTo(TestData.VM_JOB_NETWORKED, temp);
        resources = TestData.copyTo(TestData.NETWORK_RESOURCES, temp);
        schemas = KubernetesSchemas.load();
        virtualMachineSchema = VirtualMachineSchema.load();
    }

    /** The documents of a multi-document YAML stream, by "Kind/name". */
    private static Map<String, JsonNode> documents(String yaml) {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> it = YAMLMapper.builder().build().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                documents.put(document.path("kind").asString() + "/" + document.at("/metadata/name").asString(),
                        document);
            }
        }
        return documents;
    }

    @ParameterizedTest
    @ValueSource(strings = {"config-hostpath.yaml", "config-csi.yaml"})
    void everyRenderedObjectValidatesAgainstItsSchema(String config) {
        CliRuns.Run run = run("render", "--config", ExampleConfigs.file(config).toString(), "--job", job.toString(),
                "--resources", resources.toString(), "--plugins", plugins.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();

        Map<String, JsonNode> objects = documents(run.out());
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        List<String> withoutSchema = new ArrayList<>();
        objects.forEach((name, object) -> {
            List<String> errors;
            if (object.path("apiVersion").asString().equals("kubevirt.io/v1")
                    && object.path("kind").asString().equals("VirtualMachine")) {
                errors = virtualMachineSchema.validate(object).stream().map(Object::toString).toList();
            } else if (schemas.knows(object)) {
                errors = schemas.validate(object);
            } else {
                withoutSchema.add(object.path("apiVersion").asString() + " " + name);
                return;
            }
            if (!errors.isEmpty()) {
                invalid.put(name, errors);
            }
        });
        assertThat(invalid).as("schema errors").isEmpty();
        assertThat(withoutSchema).as("objects of a kind without a schema here").isEmpty();
        assertThat(objects.keySet()).contains("VirtualMachine/vm-4243-0", "PersistentVolume/vm-4243-0",
                "PersistentVolumeClaim/vm-4243-0", "Secret/vm-4243-0-cloud-init", "NetworkPolicy/policy-4243",
                "Service/j-4243", "Service/j-4243-ssh");
        // The public links of the resources file (4601, 4602) became Ingresses to the job's Service.
        assertThat(objects.keySet()).contains("Ingress/j-4243-link-4601", "Ingress/j-4243-link-4602");
        assertThat(objects.get("Ingress/j-4243-link-4601").at("/spec/rules/0/host").asString())
                .isEqualTo("app-notebook.apps.hpc.example.org");
        // The public IP (4501): its Service lists the internal address and one port per open port, and the
        // job's policy lets exactly the open ranges in from anywhere.
        JsonNode ipService = objects.get("Service/j-4243-ip");
        assertThat(ipService).as("the public IP's Service").isNotNull();
        assertThat(ipService.at("/spec/externalIPs/0").asString()).isEqualTo("10.135.0.20");
        assertThat(ipService.at("/spec/ports").size()).isEqualTo(1 + 101 + 1);
        List<String> openRanges = new ArrayList<>();
        for (JsonNode rule : objects.get("NetworkPolicy/policy-4243").at("/spec/ingress")) {
            if (rule.at("/from/0/ipBlock/cidr").asString("").equals("0.0.0.0/0")) {
                for (JsonNode port : rule.path("ports")) {
                    openRanges.add(port.path("protocol").asString() + " " + port.path("port").asInt() + "-"
                            + port.path("endPort").asInt(port.path("port").asInt()));
                }
            }
        }
        assertThat(openRanges).contains("TCP 22-22", "TCP 8000-8100", "UDP 51820-51820");
        // The private network (4701): the VM is a member by label, and the network's shared headless Service and
        // policy select exactly its members.
        JsonNode vm = objects.get("VirtualMachine/vm-4243-0");
        assertThat(vm.at("/spec/template/metadata/labels/ucloud.dk~1network-analysis-cluster").asString())
                .isEqualTo("true");
        assertThat(vm.at("/spec/template/spec/subdomain").asString()).isEqualTo("analysis-cluster");
        JsonNode networkService = objects.get("Service/analysis-cluster");
        assertThat(networkService).as("the private network's headless Service").isNotNull();
        assertThat(networkService.at("/spec/clusterIP").asString()).isEqualTo("None");
        assertThat(networkService.at("/spec/selector/ucloud.dk~1network-analysis-cluster").asString())
                .isEqualTo("true");
        JsonNode networkPolicy = objects.get("NetworkPolicy/analysis-cluster");
        assertThat(networkPolicy).as("the private network's policy").isNotNull();
        assertThat(networkPolicy.at("/spec/podSelector/matchLabels/ucloud.dk~1network-analysis-cluster").asString())
                .isEqualTo("true");
    }
}
