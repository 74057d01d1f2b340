package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ucloud-im render} of the shared example job with the installation's plugins (the KubeVirt backend). */
class KubeVirtRenderTest {
    private static final Path EXAMPLE_JOB = Path.of("..", "..", "shared", "examples", "job-vm.json");

    @TempDir
    static Path temp;

    private static Path plugins;

    @BeforeAll
    static void plugins() {
        plugins = BuiltPlugins.copyTo(temp.resolve("plugins"));
        ExampleJobs.vmJob(); // fails with a clear message when the shared example is missing
    }

    private static CliRuns.Run render(String config, Path job) {
        return run("render", "--config", ExampleConfigs.file(config).toString(), "--job", job.toString(),
                "--plugins", plugins.toString());
    }

    @Test
    void theExampleJobRendersWithTheHostPathExample() {
        CliRuns.Run run = render("config-hostpath.yaml", EXAMPLE_JOB);

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("kind: VirtualMachine").contains("name: vm-4242-0").contains("runStrategy: Always")
                .contains("kind: PersistentVolume").contains("hostPath:").contains("kind: NetworkPolicy")
                .contains("name: j-4242-ssh").contains("kind: Secret").doesNotContain("csi:");
        assertThat(run.out().split("(?m)^---$").length).isGreaterThan(5);
    }

    @Test
    void theExampleJobRendersWithTheCsiExample() {
        CliRuns.Run run = render("config-csi.yaml", EXAMPLE_JOB);

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("kind: VirtualMachine").contains("driver: cephfs.csi.ceph.com")
                .contains("volumeHandle: ucloud-vm-4242-0").contains("storageClassName: ucloud-vm-disks");
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
