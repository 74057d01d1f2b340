package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ucloud-im jobs list|show} against a running IM (embedded mode, a scripted compute backend). */
class JobsCommandTest {
    @TempDir
    static Path temp;

    private static ImServer server;
    private static Path config;

    @BeforeAll
    static void serve() {
        Path plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        config = ServeConfigs.embedded(temp.resolve("data")).writeTo(temp.resolve("config.yaml"));
        server = ImServer.start(new HostOptions(config, plugins), new StandardClusterConnector());
        HarnessClient client = new HarnessClient(server.url(), ServeConfigs.TOKEN, Duration.ofSeconds(10));
        JsonMapper json = JsonMapper.builder().build();
        client.post("/ucloud/k8s/jobs", json.readTree("{\"items\": [" + ScriptedComputePlugin.job("job-a", "alpha") + ", "
                + ScriptedComputePlugin.job("job-b", "beta") + "]}"));
        awaitState("job-a", JobState.RUNNING);
        awaitState("job-b", JobState.RUNNING);
        client.post("/ucloud/k8s/jobs/terminate", json.readTree("{\"items\": [" + ScriptedComputePlugin.job("job-b", "beta") + "]}"));
        awaitState("job-b", JobState.SUCCESS);
    }

    private static void awaitState(String jobId, JobState state) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(server.store().find(jobId).orElseThrow().state()).isEqualTo(state));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String[] at(String... command) {
        String[] args = new String[command.length + 4];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--url";
        args[command.length + 1] = server.url().toString();
        args[command.length + 2] = "--token";
        args[command.length + 3] = ServeConfigs.TOKEN;
        return args;
    }

    @Test
    void listShowsEveryJobWithItsStateAndLastMessage() {
        CliRuns.Run run = run(at("jobs", "list"));

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines().toList()).hasSize(3);
        assertThat(run.out().lines().findFirst().orElseThrow()).matches("ID +STATE +UPDATED +LAST MESSAGE");
        assertThat(run.out()).containsPattern("job-a +RUNNING +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +Running\n")
                .containsPattern("job-b +SUCCESS +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +Terminated\n");
    }

    @Test
    void listFindsTheServerThroughItsConfiguration() {
        // The configuration says port 0 (any free port); a copy names the port the server got.
        Path withPort = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server.port", Integer.toString(server.url().getPort()))
                .setYaml("harness.token", ServeConfigs.TOKEN)
                .writeTo(temp.resolve("with-port.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", withPort.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("job-a").contains("job-b");
    }

    @Test
    void showPrintsTheJobAndEveryUpdate() {
        CliRuns.Run run = run(at("jobs", "show", "job-b"));

        assertThat(run.status()).isZero();
        assertThat(run.out())
                .startsWith("Job job-b\n")
                .contains("  State:        SUCCESS\n")
                .contains("  Name:         beta\n")
                .contains("  Product:      u1-standard-4 (category u1-standard, provider k8s)\n")
                .contains("  Application:  scripted-app 1 (A scripted app), tool backend SCRIPTED\n")
                .contains("  Owner:        alice#1234\n")
                .contains("  Last message: Terminated\n")
                .contains("Updates (3):\n")
                .containsPattern("  #  TIME +STATE +MESSAGE\n")
                .containsPattern("  1  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  -        Preparing: 50%\n")
                .containsPattern("  2  [0-9: -]+  RUNNING  Running\n")
                .containsPattern("  3  [0-9: -]+  SUCCESS  Terminated\n");
    }

    @Test
    void anUnknownJobIs404WithTheServersReason() {
        CliRuns.Run run = run(at("jobs", "show", "no-such-job"));

        assertThat(run.status()).isEqualTo(JobsCommand.NOT_FOUND);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("ucloud-im jobs: GET /harness/jobs/no-such-job failed with HTTP 404: "
                + "no job with id 'no-such-job' is recorded\n");
    }

    @Test
    void aWrongTokenIsSaidToBeRefused() {
        CliRuns.Run run = run("jobs", "list", "--url", server.url().toString(), "--token", "wrong");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("ucloud-im jobs: " + server.url() + " refused the token (HTTP 401: ")
                .contains("use the server's harness.token");
    }

    @Test
    void aServerThatIsNotRunningIsSaidToBeSo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliRuns.Run run = run("jobs", "list", "--url", "http://127.0.0.1:" + port, "--token", "t");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ucloud-im jobs: cannot connect to http://127.0.0.1:" + port
                + ": is `ucloud-im serve` running at http://127.0.0.1:" + port + "?\n");
    }

    @Test
    void withoutAnAddressItSaysWhatToGive() {
        CliRuns.Run run = run("jobs", "list");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("say where the IM runs: --config FILE, or --url URL with --token TOKEN");

        CliRuns.Run both = run("jobs", "list", "--config", config.toString(), "--url", "http://127.0.0.1:1", "--token", "t");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("give either --config, or --url with --token; not both");
    }

    @Test
    void aConfigurationWithPortZeroCannotSayWhereTheServerIs() {
        CliRuns.Run run = run("jobs", "list", "--config", config.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("harness.server.port is 0");
    }

    @Test
    void aConfigurationWithoutTokenSaysSo() {
        Path noToken = ExampleConfigs.of("config-hostpath.yaml").writeTo(temp.resolve("no-token.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", noToken.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("no bearer token");
    }

    @Test
    void badHarnessKeysAreListed() {
        Path bad = ExampleConfigs.of("config-hostpath.yaml").setYaml("harness.server.port", "nope")
                .writeTo(temp.resolve("bad.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", bad.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("harness.server.port: expected an integer, got 'nope'");
    }
}
