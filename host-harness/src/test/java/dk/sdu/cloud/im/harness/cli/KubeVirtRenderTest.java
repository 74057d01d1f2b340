package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.testdata.TestData;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ucloud-im render} of the example job with the installation's plugins (the KubeVirt backend). */
class KubeVirtRenderTest {
    @TempDir
    static Path temp;

    private static Path plugins;
    private static Path exampleJob;

    @BeforeAll
    static void plugins() {
        plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        exampleJob = TestData.copyTo(TestData.VM_JOB, temp);
    }

    private static CliRuns.Run render(String config, Path job) {
        return run("render", "--config", ExampleConfigs.file(config).toString(), "--job", job.toString(),
                "--plugins", plugins.toString());
    }

    /** The documents of a multi-document YAML stream, as "Kind/name". */
    @SuppressWarnings("unchecked")
    private static List<String> objects(String yaml) {
        List<HasMetadata> objects = (List<HasMetadata>) new KubernetesSerialization().unmarshal(yaml);
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    @Test
    void theExampleJobRendersWithTheHostPathExample() {
        CliRuns.Run run = render("config-hostpath.yaml", exampleJob);

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(objects(run.out())).contains("VirtualMachine/vm-4242-0", "PersistentVolume/vm-4242-0",
                "PersistentVolumeClaim/vm-4242-0", "Secret/vm-4242-0-cloud-init", "NetworkPolicy/policy-4242",
                "Service/j-4242", "Service/j-4242-ssh");
        assertThat(run.out()).contains("runStrategy: \"RerunOnFailure\"").contains("hostPath:").doesNotContain("csi:");
    }

    @Test
    void theExampleJobRendersWithTheCsiExample() {
        CliRuns.Run run = render("config-csi.yaml", exampleJob);

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(objects(run.out())).contains("VirtualMachine/vm-4242-0", "PersistentVolume/vm-4242-0");
        assertThat(run.out()).contains("driver: \"cephfs.csi.ceph.com\"").contains("volumeHandle: \"ucloud-vm-4242-0\"")
                .contains("storageClassName: \"ucloud-vm-disks\"").doesNotContain("hostPath:");
    }

    @Test
    void aJobOfASensitiveProjectIsRejectedWithExitStatusThree() throws IOException {
        ObjectNode job = ExampleJobs.vmJob();
        ((ObjectNode) job.path("owner")).put("project", "7f1c0e1e-sensitive");
        Path file = Files.writeString(temp.resolve("sensitive.json"), ExampleJobs.JSON.writeValueAsString(job));

        CliRuns.Run run = render("config-hostpath.yaml", file);

        assertThat(run.status()).isEqualTo(RenderCommand.JOB_REJECTED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("job 4242 is rejected: ").contains("sensitive");
    }
}
