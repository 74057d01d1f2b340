package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.boot.ImHost;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.core.CoreClient;
import dk.sdu.cloud.im.harness.core.CoreSshKeyDirectory;
import dk.sdu.cloud.im.harness.core.LocalCore;
import dk.sdu.cloud.im.harness.core.LocalCoreSettings;
import dk.sdu.cloud.im.harness.core.ServerFile;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.Kubeconfigs;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** {@link ImServer} and UCloud/Core: the harness playing Core (local), and a Core elsewhere (remote). */
class ServeCoreTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

    @TempDir
    Path temp;

    private Path plugins;
    private EmbeddedKubernetes cluster;
    private Path kubeconfig;

    @BeforeEach
    void setUp() {
        plugins = BuiltPlugins.copyStoragePluginsTo(temp.resolve("plugins"));
        ScriptedComputePlugin.build(plugins);
        cluster = EmbeddedKubernetes.start();
        kubeconfig = Kubeconfigs.write(temp.resolve("kube").resolve("config"), cluster.url(), "test");
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    private ImServer start(ExampleConfigs config) {
        return ImServer.start(new HostOptions(config.writeTo(temp.resolve("etc").resolve("config.yaml")), plugins),
                new StandardClusterConnector());
    }

    private ServeException refusal(ExampleConfigs config) {
        ServeException e = catchThrowableOfType(ServeException.class, () -> start(config).close());
        assertThat(e).as("serve should have refused to start").isNotNull();
        return e;
    }

    private ExampleConfigs remote(Path data) {
        return ServeConfigs.kubeconfig(data, kubeconfig).setYaml("harness.core", "{ mode: remote }");
    }

    @Test
    void inLocalModeThePluginsGetSshKeysThroughTheHarnessesCore() throws Exception {
        Path data = temp.resolve("data");
        int corePort;
        try (ImServer server = start(ServeConfigs.kubeconfig(data, kubeconfig))) {
            LocalCore core = server.localCore().orElseThrow();
            corePort = core.url().getPort();
            Path folder = data.resolve(ImServer.LOCAL_CORE);
            assertThat(folder.resolve(ServerFile.FILE)).exists();
            assertThat(UCloudPublicKeyFile.read(folder)).isEqualTo(core.keyPair().publicKey());
            SshKeyDirectory pluginsKeys = server.host().injector().getInstance(SshKeyDirectory.class);
            assertThat(pluginsKeys).isInstanceOf(CoreSshKeyDirectory.class);
            List<String> changed = new CopyOnWriteArrayList<>();
            AutoCloseable watch = pluginsKeys.watch(changed::add);

            Files.createDirectories(data.resolve(ImHost.SSH_KEYS));
            Files.writeString(data.resolve(ImHost.SSH_KEYS).resolve("j-1.pub"), KEY + "\n");

            assertThat(pluginsKeys.authorizedKeys("j-1")).containsExactly(KEY);
            assertThat(pluginsKeys.authorizedKeys("j-2")).isEmpty();
            assertThat(core.refreshCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("j-1"));
            watch.close();
        }
        assertThat(portIsOpen(corePort)).isFalse();
    }

    @Test
    void theHarnessesCoreRetrievesTheStoredJobs() throws Exception {
        try (ImServer server = start(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig))) {
            HarnessClient client = new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(10));
            client.post("/ucloud/k8s/jobs", JSON.readTree("{\"items\": [" + ScriptedComputePlugin.job("j-7", "seven")
                    + "]}"));
            // Accepted means recorded: the job is in the store once the create is answered.
            JsonNode job = server.core().get(LocalCore.JOB_RETRIEVE, Map.of("id", "j-7", "includeParameters", "true"));

            assertThat(job.path("id").asString()).isEqualTo("j-7");
        }
    }

    @Test
    void remoteModeWithoutHostsSaysWhatToAdd() {
        ServeException e = refusal(remote(temp.resolve("data")));

        assertThat(e.exitStatus()).isEqualTo(ServeException.CONFIGURATION);
        assertThat(e.getMessage()).contains("provider.hosts.ucloud").contains("hosts:")
                .contains("harness.core.mode: local");
    }

    @Test
    void remoteModeWithoutServerYmlNamesTheFile() {
        ServeException e = refusal(remote(temp.resolve("data"))
                .setYaml("provider.hosts", "{ ucloud: { address: 127.0.0.1, port: 1 }, self: { address: 127.0.0.1, port: 8889 } }"));

        assertThat(e.exitStatus()).isEqualTo(ServeException.CONFIGURATION);
        assertThat(e.getMessage()).contains("no server.yml in " + temp.resolve("etc"));
    }

    @Test
    void remoteModeCallsTheCoreAtProviderHostsWithTheRefreshTokenOfServerYml() throws Exception {
        // A Core elsewhere: here the harness's, started by the test, whose server.yml the operator copied.
        try (LocalCore elsewhere = LocalCore.start(new LocalCoreSettings("k8s", temp.resolve("core-elsewhere"),
                "127.0.0.1", 0), Clock.systemUTC(), jobId -> List.of(KEY), id -> Optional.empty())) {
            Files.createDirectories(temp.resolve("etc"));
            Files.copy(elsewhere.folder().resolve(ServerFile.FILE), temp.resolve("etc").resolve(ServerFile.FILE));
            ExampleConfigs config = remote(temp.resolve("data")).setYaml("provider.hosts",
                    "{ ucloud: { address: 127.0.0.1, port: " + elsewhere.url().getPort() + " }, "
                            + "self: { address: 127.0.0.1, port: 8889 } }");

            try (ImServer server = start(config)) {
                assertThat(server.localCore()).isEmpty();
                assertThat(((CoreClient) server.core()).baseUrl()).isEqualTo(elsewhere.url());
                SshKeyDirectory pluginsKeys = server.host().injector().getInstance(SshKeyDirectory.class);

                assertThat(pluginsKeys.authorizedKeys("j-1")).containsExactly(KEY);
                assertThat(elsewhere.refreshCount()).isEqualTo(1);
            }
            assertThat(temp.resolve("data").resolve(ImServer.LOCAL_CORE)).doesNotExist();
        }
    }

    @Test
    void jobLabelsAPluginSetsReachTheHarnessesCoreThroughTheJobStore() throws Exception {
        try (ImServer server = start(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig))) {
            LocalCore core = server.localCore().orElseThrow();
            JobUpdates pluginsUpdates = server.host().injector().getInstance(JobUpdates.class);

            pluginsUpdates.updateLabels("j-8", Map.of("ucloud.dk/service-ip-address", "10.96.0.20"));

            await().atMost(Duration.ofSeconds(60)).until(() -> !core.labels("j-8").isEmpty());
            assertThat(core.labels("j-8")).containsExactly(Map.of("ucloud.dk/service-ip-address", "10.96.0.20"));
            assertThat(server.store().labels("j-8")).hasSize(1);
            assertThat(server.store().pendingLabels(10)).isEmpty();
        }
    }

    @Test
    void jobUpdatesReachTheHarnessesCoreInTheOrderTheyWereRecorded() throws Exception {
        try (ImServer server = start(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig))) {
            LocalCore core = server.localCore().orElseThrow();
            HarnessClient client = new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(10));
            client.post("/ucloud/k8s/jobs", JSON.readTree("{\"items\": [" + ScriptedComputePlugin.job("j-3", "three")
                    + "]}"));
            // The host starts an accepted job in the background; a terminate that came first would spare the job
            // its start (and its RUNNING). Both updates are wanted here, so the start is let happen first.
            await().atMost(Duration.ofSeconds(60)).until(() -> states(recorded(server, "j-3")).contains("RUNNING"));
            client.post("/ucloud/k8s/jobs/terminate", JSON.readTree("{\"items\": ["
                    + ScriptedComputePlugin.job("j-3", "three") + "]}"));

            await().atMost(Duration.ofSeconds(60)).until(() -> states(core.updates("j-3")).contains("SUCCESS"));
            assertThat(statuses(core.updates("j-3"))).isEqualTo(statuses(recorded(server, "j-3")));
            assertThat(states(core.updates("j-3"))).containsExactly("RUNNING", "SUCCESS");
        }
    }

    @Test
    void updatesRecordedWhileCoreIsDownAreDeliveredInOrderAfterARestartOnceCoreIsBack() throws Exception {
        Path coreFolder = temp.resolve("core-elsewhere");
        int corePort;
        try (LocalCore first = LocalCore.start(new LocalCoreSettings("k8s", coreFolder, "127.0.0.1", 0),
                Clock.systemUTC(), jobId -> List.of(KEY), id -> Optional.empty())) {
            corePort = first.url().getPort();
            first.addDrive("17", "", "storage");
        }
        Files.createDirectories(temp.resolve("etc"));
        Files.copy(coreFolder.resolve(ServerFile.FILE), temp.resolve("etc").resolve(ServerFile.FILE));
        ExampleConfigs config = remote(temp.resolve("data")).setYaml("provider.hosts",
                "{ ucloud: { address: 127.0.0.1, port: " + corePort + " }, self: { address: 127.0.0.1, port: 8889 } }");
        List<String> expected;
        // Core is down: the updates are recorded, and wait.
        try (ImServer server = start(config)) {
            HarnessClient client = new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(10));
            client.post("/ucloud/k8s/jobs", JSON.readTree("{\"items\": [" + ScriptedComputePlugin.job("j-5", "five")
                    + "]}"));
            await().atMost(Duration.ofSeconds(60)).until(() -> states(recorded(server, "j-5")).contains("RUNNING"));
            client.post("/ucloud/k8s/jobs/suspend", JSON.readTree("{\"items\": [{\"job\": "
                    + ScriptedComputePlugin.job("j-5", "five") + "}]}"));
            await().atMost(Duration.ofSeconds(60)).until(() -> states(recorded(server, "j-5")).contains("SUSPENDED"));
            expected = statuses(recorded(server, "j-5"));
            assertThat(server.store().countByDelivery()).containsKey(dk.sdu.cloud.im.harness.store.DeliveryState.PENDING);
        }
        // The IM restarts while Core is still down (and carries its jobs' last requests on, which may add updates);
        // then Core comes back at the same address.
        try (ImServer server = start(config)) {
            try (LocalCore back = LocalCore.start(new LocalCoreSettings("k8s", coreFolder, "127.0.0.1", corePort),
                    Clock.systemUTC(), jobId -> List.of(KEY), id -> Optional.empty())) {
                await().atMost(Duration.ofMinutes(2)).until(() -> !server.store().countByDelivery()
                        .containsKey(dk.sdu.cloud.im.harness.store.DeliveryState.PENDING));

                List<String> all = statuses(recorded(server, "j-5"));
                assertThat(all).startsWith(expected.toArray(String[]::new));
                assertThat(statuses(back.updates("j-5"))).as("each recorded update once, in order").isEqualTo(all);
            }
        }
    }

    private static List<JsonNode> recorded(ImServer server, String jobId) {
        return server.store().updates(jobId).stream()
                .map(u -> (JsonNode) JSON.valueToTree(Map.of("state", u.state() == null ? "" : u.state().name(),
                        "status", u.statusMessage() == null ? "" : u.statusMessage(),
                        "timestamp", u.timestamp()))).toList();
    }

    private static List<String> states(List<JsonNode> updates) {
        return updates.stream().map(u -> u.path("state").isString() ? u.path("state").asString() : "")
                .filter(state -> !state.isEmpty()).toList();
    }

    /** Each update as state, status and time: what Core must get exactly once each, in this order. */
    private static List<String> statuses(List<JsonNode> updates) {
        return updates.stream().map(u -> (u.path("state").isString() ? u.path("state").asString() : "") + "|"
                + (u.path("status").isString() ? u.path("status").asString() : "") + "|"
                + u.path("timestamp").asLong()).toList();
    }

    private static boolean portIsOpen(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
