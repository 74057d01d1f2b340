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

    private static boolean portIsOpen(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
