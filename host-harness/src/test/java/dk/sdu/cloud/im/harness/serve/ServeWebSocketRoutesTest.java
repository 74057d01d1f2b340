package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.ShellSession;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.harness.testing.TestWebSocket;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code serve} serves a compute backend's websocket routes and the interactive shell (a plugin built at test time). */
class ServeWebSocketRoutesTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @AfterEach
    void clearProperties() {
        System.clearProperty(ScriptedComputePlugin.ROUTE_PORT);
        System.clearProperty(ScriptedComputePlugin.ROUTE_CLASH);
    }

    private HostOptions options() {
        Path plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        Path config = ServeConfigs.embedded(temp.resolve("data")).writeTo(temp.resolve("config.yaml"));
        return new HostOptions(config, plugins);
    }

    @Test
    void aBackendsRouteIsServedOnItsPortAndTheShellOnTheApisUntilTheServerStops() throws Exception {
        // Port 0: the IM binds one for the route and says which.
        System.setProperty(ScriptedComputePlugin.ROUTE_PORT, "0");
        URI route;
        try (ImServer server = ImServer.start(options(), new StandardClusterConnector())) {
            assertThat(server.routePorts()).hasSize(1);
            int port = server.routePorts().get(0);
            assertThat(port).isPositive().isNotEqualTo(server.url().getPort());
            route = URI.create("ws://127.0.0.1:" + port + ScriptedComputePlugin.ROUTE_PATH);
            try (TestWebSocket socket = TestWebSocket.connect(route)) {
                assertThat(socket.send("hello").next()).isEqualTo("scripted: hello");
            }

            HarnessClient client = new HarnessClient(server.url(), ServeConfigs.credentials(), DEADLINE);
            JsonMapper json = JsonMapper.builder().build();
            client.post("/ucloud/k8s/jobs", json.readTree("{\"items\": [" + ScriptedComputePlugin.job("job-s", "s") + "]}"));
            await().atMost(DEADLINE).until(() -> server.store().find("job-s").orElseThrow().state() == JobState.RUNNING);
            try (ShellSession shell = client.openShell("job-s", 0)) {
                shell.readUntil(ScriptedComputePlugin.SHELL_GREETING, DEADLINE);
                shell.send("echo me");
                assertThat(shell.readUntil("echo me", DEADLINE)).endsWith("echo me");
            }
        }
        // Stopped with the server.
        assertThatThrownBy(() -> TestWebSocket.connect(route)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void twoRoutesAtOnePortAndPathStopTheStartNamingThem() throws Exception {
        System.setProperty(ScriptedComputePlugin.ROUTE_PORT, "0");
        System.setProperty(ScriptedComputePlugin.ROUTE_CLASH, "true");
        HostOptions options = options();
        assertThatThrownBy(() -> ImServer.start(options, new StandardClusterConnector()))
                .isInstanceOf(ServeException.class)
                .hasMessageContaining("two websocket routes at port")
                .hasMessageContaining("path /scripted: compute backend Scripted and compute backend Scripted");
    }
}
