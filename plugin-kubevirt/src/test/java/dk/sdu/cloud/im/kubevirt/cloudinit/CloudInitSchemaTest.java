package dk.sdu.cloud.im.kubevirt.cloudinit;

import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.manifest.VmJobRuntimeInputs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks generated user data with the real {@code cloud-init schema} (22.4 is the oldest cloud-init our
 * guests run) and reads hostile documents back with PyYAML, the parser cloud-init itself uses. Fails,
 * saying how to install it, when cloud-init is missing.
 */
class CloudInitSchemaTest {
    private static CloudInitTool tool;

    @TempDir
    Path directory;

    private final CloudInitRenderer renderer = new CloudInitRenderer();

    @BeforeAll
    static void findTool() {
        tool = CloudInitTool.installed();
    }

    private void assertValid(String userData) {
        CloudInitTool.Result result = tool.schema(userData, directory);
        assertThat(result.exitCode()).as("cloud-init schema (%s) said:%n%s%non:%n%s", tool.version(),
                result.output(), userData).isZero();
        assertThat(result.output()).contains("Valid cloud-config");
        assertThat(result.output().toLowerCase()).doesNotContain("deprecat");
    }

    @Test
    void theUserDataOfTheExampleJobIsValid() {
        List<String> userData = new ArrayList<>();
        for (String config : List.of(ExampleProvider.HOSTPATH, ExampleProvider.CSI)) {
            ExampleProvider provider = ExampleProvider.load(config);
            VmJobPlan plan = provider.admission().admit(ExampleJobs.vmJob());
            userData.add(provider.objectsFactory().build(plan, VmJobRuntimeInputs.running(
                    new AgentTokens("a", "s"), List.of("ssh-ed25519 AAAAC3Nza alice"), OptionalInt.of(2001)))
                    .cloudInit().userData());
        }
        assertThat(userData.get(1)).as("the storage backend does not change cloud-init").isEqualTo(userData.get(0));
        assertValid(userData.get(0));
    }

    @Test
    void userDataWithoutKeysAndWithHostileValuesIsValid() {
        CloudInitRequest ordinary = CloudInitFixtures.ordinary();
        assertValid(renderer.render(new CloudInitRequest(ordinary.jobId(), ordinary.hostname(),
                ordinary.agentEndpoint(), ordinary.tokens(), List.of(), ordinary.ucloudMounts())).userData());
        assertValid(renderer.render(CloudInitFixtures.hostile()).userData());
    }

    @Test
    void theToolRejectsWhatItShould() {
        // A control: UCloud/IM's sudo list is what cloud-init 22.4 rejects; if this passed, the checks above
        // would prove nothing.
        String listSudo = "#cloud-config\nusers:\n  - name: ucloud\n    sudo: [\"ALL=(ALL) NOPASSWD:ALL\"]\n";
        CloudInitTool.Result result = tool.schema(listSudo, directory);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("users.0");
    }

    @Test
    void pyYamlReadsHostileDocumentsExactlyAsWritten() {
        JsonMapper json = JsonMapper.builder().build();
        CloudInitDocuments documents = renderer.render(CloudInitFixtures.hostile());
        for (String document : List.of(documents.userData(), documents.networkData(),
                new MountsFileRenderer().render(List.of(dk.sdu.cloud.im.kubevirt.admission.VmMount.of(
                        dk.sdu.cloud.im.kubevirt.admission.VmMount.Kind.USER_FOLDER, "r0",
                        "/work/" + String.join("|", CloudInitFixtures.HOSTILE), "drives/1/x", true))))) {
            CloudInitTool.Result result = tool.pyYamlAsJson(document, directory);
            assertThat(result.exitCode()).as(result.output()).isZero();
            JsonNode read = json.readTree(result.output());
            assertThat(read).as("PyYAML's reading of%n%s", document).hasSize(1);
            assertThat(read.get(0)).isEqualTo(CloudInitRendererTest.singleDocument(document));
        }
    }
}
