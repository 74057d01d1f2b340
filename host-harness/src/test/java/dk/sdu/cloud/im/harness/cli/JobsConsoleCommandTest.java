package dk.sdu.cloud.im.harness.cli;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.serve.ImServer;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static dk.sdu.cloud.im.harness.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ucloud-im jobs console ID} against a running IM (embedded mode, a scripted compute backend). */
class JobsConsoleCommandTest {
    @TempDir
    static Path temp;

    private static ImServer server;
    private static Path coreKey;

    @BeforeAll
    static void serve() {
        Path plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        Path config = ServeConfigs.embedded(temp.resolve("data")).writeTo(temp.resolve("config.yaml"));
        coreKey = TestCoreKeys.writePrivateKey(temp.resolve("keys").resolve("core_private_key.pem"));
        server = ImServer.start(new HostOptions(config, plugins), new StandardClusterConnector());
        HarnessClient client = new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(10));
        JsonMapper json = JsonMapper.builder().build();
        client.post("/ucloud/k8s/jobs", json.readTree("{\"items\": [" + ScriptedComputePlugin.job("job-a", "alpha") + ", "
                + ScriptedComputePlugin.job("job-b", "beta") + "]}"));
        client.post("/ucloud/k8s/jobs/terminate", json.readTree("{\"items\": [" + ScriptedComputePlugin.job("job-b", "beta") + "]}"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(server.store().find("job-b").orElseThrow().state()).isEqualTo(JobState.SUCCESS));
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
    void itPrintsAConsoleUrlThatOpensThePage() throws Exception {
        CliRuns.Run run = run(at("jobs", "console", "job-a"));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).matches(Pattern.quote(server.url().toString()) + "/console/job-a\\?ticket=[A-Za-z0-9_-]{43}\\R");
        HttpResponse<String> opened = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(run.out().strip()))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.headers().firstValue("Set-Cookie").orElse("")).contains("HttpOnly", "SameSite=Strict");
    }

    @Test
    void anUnknownJobIsSaidWithItsOwnExitStatus() {
        CliRuns.Run run = run(at("jobs", "console", "nope"));

        assertThat(run.status()).isEqualTo(JobsCommand.NOT_FOUND);
        assertThat(run.err()).contains("no job nope is known");
    }

    @Test
    void anEndedJobHasNoConsole() {
        CliRuns.Run run = run(at("jobs", "console", "job-b"));

        assertThat(run.status()).isEqualTo(ImCommand.CANNOT_RUN);
        assertThat(run.err()).contains("HTTP 409", "job-b");
    }
}
