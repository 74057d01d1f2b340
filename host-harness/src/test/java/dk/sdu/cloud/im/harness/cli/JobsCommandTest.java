package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.testdata.RefusingPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
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
    private static Path coreKey;

    @BeforeAll
    static void serve() {
        Path plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        config = ServeConfigs.embedded(temp.resolve("data")).writeTo(temp.resolve("config.yaml"));
        coreKey = TestCoreKeys.writePrivateKey(temp.resolve("keys").resolve("core_private_key.pem"));
        server = ImServer.start(new HostOptions(config, plugins), new StandardClusterConnector());
        HarnessClient client = new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(10));
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
        args[command.length + 2] = "--core-key";
        args[command.length + 3] = coreKey.toString();
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
    void listFindsTheServerThroughItsConfigurationAndSignsWithCoresKeyInTheDataDirectory() {
        // The configuration says port 0 (any free port); a copy names the port the server got.
        Path folder = temp.resolve("by-config");
        Path withPort = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server.port", Integer.toString(server.url().getPort()))
                .setYaml("harness.dataDirectory", "state")
                .writeTo(folder.resolve("with-port.yaml"));
        TestCoreKeys.writePrivateKey(folder.resolve("state").resolve("core").resolve("core_private_key.pem"));
        CliRuns.Run run = run("jobs", "list", "--config", withPort.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("job-a").contains("job-b");
    }

    @Test
    void headersPrintsWhatTheServerAcceptsFromAnotherClient() throws Exception {
        CliRuns.Run run = run("jobs", "headers", "--url", server.url().toString(), "--core-key", coreKey.toString());

        assertThat(run.status()).as(run.err()).isZero();
        String line = run.out().strip();
        assertThat(line).startsWith("Authorization: Bearer ey").doesNotContain("\n");
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(server.url().resolve("/harness/jobs"))
                        .header("Authorization", line.substring("Authorization: ".length())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("job-a");
    }

    @Test
    void headersWithoutAKeyIsAUsageError() {
        CliRuns.Run run = run("jobs", "headers", "--url", server.url().toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--core-key");
    }

    @Test
    void withTheConfigurationCoreKeyNamesAnotherKeyFile() {
        Path withPort = ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server.port", Integer.toString(server.url().getPort()))
                .writeTo(temp.resolve("core-key-option.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", withPort.toString(), "--core-key", coreKey.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("job-a");
    }

    @Test
    void anotherKeyIsSaidToBeRefused() {
        Path other = temp.resolve("other-key.pem");
        try {
            java.nio.file.Files.writeString(other, ProviderKeyPair.generate().privateKeyPem());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        CliRuns.Run run = run("jobs", "list", "--url", server.url().toString(), "--core-key", other.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("ucloud-im jobs: " + server.url() + " refused the credentials (HTTP 401: "
                        + "the token's signature is not Core's")
                .contains("sign with the private key whose public half the IM reads");
    }

    @Test
    void aConfigurationInTokenModeSendsItsToken() {
        // The server is in mode jwt: the token is sent, and refused.
        Path tokenMode = ServeConfigs.tokenMode(ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server.port", Integer.toString(server.url().getPort())))
                .writeTo(temp.resolve("token-mode.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", tokenMode.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("refused the credentials (HTTP 401: the bearer token is not a JWT)")
                .contains("use the server's harness.token");
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
    void aStaticTokenIsSaidToBeRefused() {
        CliRuns.Run run = run("jobs", "list", "--url", server.url().toString(), "--token", "wrong");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).startsWith("ucloud-im jobs: " + server.url() + " refused the credentials (HTTP 401: ")
                .contains("use the server's harness.token");
    }

    @Test
    void aServerThatIsNotRunningIsSaidToBeSo() {
        try (RefusingPort nothing = RefusingPort.open()) {
            int port = nothing.port();
            CliRuns.Run run = run("jobs", "list", "--url", "http://127.0.0.1:" + port, "--token", "t");

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("ucloud-im jobs: cannot connect to http://127.0.0.1:" + port
                    + ": is `ucloud-im serve` running at http://127.0.0.1:" + port + "?\n");
        }
    }

    @Test
    void withoutAnAddressItSaysWhatToGive() {
        CliRuns.Run run = run("jobs", "list");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("say where the IM runs: --config FILE, or --url URL with --token TOKEN or "
                + "--core-key FILE");

        CliRuns.Run both = run("jobs", "list", "--config", config.toString(), "--url", "http://127.0.0.1:1", "--token", "t");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("give either --config, or --url with --token or --core-key; not both");

        CliRuns.Run twoCredentials = run("jobs", "list", "--url", "http://127.0.0.1:1", "--token", "t",
                "--core-key", coreKey.toString());
        assertThat(twoCredentials.status()).isEqualTo(2);
        assertThat(twoCredentials.err()).contains("give either --token or --core-key, not both");
    }

    @Test
    void aConfigurationWithPortZeroCannotSayWhereTheServerIs() {
        CliRuns.Run run = run("jobs", "list", "--config", config.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("harness.server.port is 0");
    }

    @Test
    void aConfigurationWithoutCoresKeySaysWhereItWasLookedForAndWhatToGive() {
        Path noKey = ExampleConfigs.of("config-hostpath.yaml").setYaml("harness.server.port", "8889")
                .setYaml("harness.dataDirectory", "state").writeTo(temp.resolve("no-key").resolve("config.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", noKey.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("ucloud-im jobs: " + temp.resolve("no-key").resolve("state").resolve("core")
                .resolve("core_private_key.pem") + " (the default of --core-key) does not exist: an IM in "
                + "harness.auth.mode jwt accepts only calls signed with Core's private key for this provider. Give "
                + "--core-key FILE: the PKCS#8 PEM private key whose public half is the IM's ucloud_key.pub (the "
                + "harness, playing Core, keeps it in <harness.dataDirectory>/core/core_private_key.pem)\n");
    }

    @Test
    void aConfigurationInGatewayModeNeedsItsSecretFile() {
        Path gateway = ExampleConfigs.of("config-hostpath.yaml").setYaml("harness.server.port", "8889")
                .setYaml("harness.auth", "{ mode: gateway, gatewaySecretFile: secret.txt }")
                .writeTo(temp.resolve("gateway").resolve("config.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", gateway.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("ucloud-im jobs: harness.auth.gatewaySecretFile: "
                + temp.resolve("gateway").resolve("secret.txt") + " does not exist\n");
    }

    @Test
    void coreKeyIsOnlyForModeJwt() {
        Path tokenMode = ServeConfigs.tokenMode(ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server.port", "8889")).writeTo(temp.resolve("token-only.yaml"));
        CliRuns.Run run = run("jobs", "list", "--config", tokenMode.toString(), "--core-key", coreKey.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--core-key is for an IM in harness.auth.mode jwt, but " + tokenMode
                + " says mode token");
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
