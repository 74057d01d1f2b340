package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.api.ExampleJobs;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.FaultyComputePlugin;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.testdata.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ucloud-im render} with a compute backend built at test time (tool backend SCRIPTED), whose
 * {@code open()} needs a cluster: rendering works, so nothing opened it and no request left the command.
 */
class RenderCommandTest {
    @TempDir
    static Path temp;

    private static Path plugins;
    private static Path config;

    @BeforeAll
    static void plugins() {
        plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        config = ExampleConfigs.file("config-hostpath.yaml");
    }

    private static Path jobFile(String name, String json) throws IOException {
        return Files.writeString(temp.resolve(name), json);
    }

    @Test
    void printsTheBackendsManifests() throws IOException {
        Path job = jobFile("r1.json", ScriptedComputePlugin.job("r1", "fine"));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--plugins", plugins.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("kind: Scripted\nmetadata:\n  name: job-r1\n  namespace: ucloud-apps\n");
    }

    @Test
    void aRejectedJobGivesTheReasonAndExitStatusThree() throws IOException {
        Path job = jobFile("r2.json", ScriptedComputePlugin.job("r2", ScriptedComputePlugin.REJECTED_NAME));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(RenderCommand.JOB_REJECTED).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("job r2 is rejected: " + ScriptedComputePlugin.REJECTION + "\n");
    }

    @Test
    void aBackendThatFailsIsNamedByItsPluginWithExitStatusOne() throws IOException {
        Path faultyPlugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("faulty-plugins"));
        FaultyComputePlugin.build(faultyPlugins);
        Path job = jobFile("f1.json", FaultyComputePlugin.job("f1", FaultyComputePlugin.FAIL_IN_VERIFY));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--plugins", faultyPlugins.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        // The operator runs render: the exception's message is theirs to read.
        assertThat(run.err()).isEqualTo("cannot render job f1: plugin 'compute-faulty' (Faulty) failed to render job f1: "
                + "IllegalStateException: " + FaultyComputePlugin.INTERNAL_DETAIL + "\n");
    }

    @Test
    void aJobNoInstalledBackendRunsIsAnError() throws IOException {
        Path job = jobFile("vm.json", ExampleJobs.JSON.writeValueAsString(ExampleJobs.vmJob()));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("cannot render job 4242: no compute backend here runs tool backend "
                + "VIRTUAL_MACHINE; this provider runs SCRIPTED\n");
    }

    @Test
    void aMalformedJobFileSaysWhere() throws IOException {
        Path job = jobFile("bad.json", ScriptedComputePlugin.job("r3", "x").replace("\"replicas\": 1", "\"replicas\": \"one\""));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(job + ": job.specification.replicas: expected an integer, got the string \"one\"\n");

        Path notJson = jobFile("not.json", "{ nope");
        CliRuns.Run broken = run("render", "--config", config.toString(), "--job", notJson.toString(), "--plugins", plugins.toString());
        assertThat(broken.status()).isEqualTo(2);
        assertThat(broken.err()).startsWith(notJson + ": malformed JSON at line 1");
    }

    @Test
    void aMissingJobFileIsNamed() {
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", temp.resolve("absent.json").toString(),
                "--plugins", plugins.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(temp.resolve("absent.json") + ": no such file\n");
    }

    @Test
    void configurationProblemsAreListed() throws IOException {
        Path job = jobFile("r4.json", ScriptedComputePlugin.job("r4", "fine"));
        Path bad = ExampleConfigs.of("config-hostpath.yaml").remove("provider.id").writeTo(temp.resolve("bad.yaml"));
        CliRuns.Run run = run("render", "--config", bad.toString(), "--job", job.toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("provider.id: missing required key");
    }

    private static Path networkedJob(String id) throws IOException {
        return jobFile(id + ".json", ScriptedComputePlugin.job(id, "fine").replace("\"resources\": []", """
                "resources": [{"type": "network", "id": "4501"}, {"type": "ingress", "id": "4601", "port": 8080},
                              {"type": "private_network", "id": "4701"}, {"type": "network", "id": "9999"}]"""));
    }

    @Test
    void theResourcesFileIsWhereTheBackendLooksUpTheJobsNetworkResources() throws IOException {
        Path job = networkedJob("n1");
        Path resources = TestData.copyTo(TestData.NETWORK_RESOURCES, temp.resolve("n1-resources"));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--resources",
                resources.toString(), "--plugins", plugins.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.status()).isZero();
        assertThat(run.out()).endsWith("  name: job-n1\n  namespace: ucloud-apps\n"
                + "# network 4501: 203.0.113.20\n"
                + "# ingress 4601: app-notebook.apps.hpc.example.org\n"
                + "# private_network 4701: analysis-cluster\n"
                + "# network 9999: unknown\n");

        CliRuns.Run without = run("render", "--config", config.toString(), "--job", job.toString(),
                "--plugins", plugins.toString());
        assertThat(without.status()).isZero();
        assertThat(without.out()).contains("# network 4501: unknown\n").contains("# ingress 4601: unknown\n")
                .contains("# private_network 4701: unknown\n");
    }

    @Test
    void aBadResourcesFileIsNamedWithWhatIsWrongAndExitStatusTwo() throws IOException {
        Path job = networkedJob("n2");
        Path bad = Files.writeString(temp.resolve("bad-resources.json"),
                TestData.read(TestData.NETWORK_RESOURCES).replace("\"domain\"", "\"domian\""));
        CliRuns.Run run = run("render", "--config", config.toString(), "--job", job.toString(), "--resources",
                bad.toString(), "--plugins", plugins.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(bad + ": publicLinks[0].domian: unknown field; expected one of id, owner, "
                + "domain\n");

        Path absent = temp.resolve("absent-resources.json");
        CliRuns.Run missing = run("render", "--config", config.toString(), "--job", job.toString(), "--resources",
                absent.toString(), "--plugins", plugins.toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo(absent + ": no such file\n");
    }
}
