package dk.sdu.cloud.im.harness.serve;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.client.HarnessClient;
import dk.sdu.cloud.im.harness.client.HarnessClientException;
import dk.sdu.cloud.im.harness.client.StaticTokenCredentials;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.ExampleConfigs;
import dk.sdu.cloud.im.harness.testing.Kubeconfigs;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.testdata.RefusingPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ImServer} with a compute backend plugin built at test time, against a cluster reached through a
 * kubeconfig (an in-process API server stands in for it) or in embedded mode.
 */
class ImServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    private HostOptions options(ExampleConfigs config) {
        return new HostOptions(config.writeTo(temp.resolve("etc").resolve("config.yaml")), plugins);
    }

    private ImServer start(ExampleConfigs config) {
        return ImServer.start(options(config), new StandardClusterConnector());
    }

    private ServeException refusal(ExampleConfigs config) {
        ServeException e = catchThrowableOfType(ServeException.class, () -> start(config).close());
        assertThat(e).as("serve should have refused to start").isNotNull();
        return e;
    }

    private static HarnessClient client(ImServer server) {
        return new HarnessClient(server.url(), ServeConfigs.credentials(), Duration.ofSeconds(10));
    }

    private static JsonNode items(String job) {
        return JSON.readTree("{\"items\": [" + job + "]}");
    }

    @Test
    void servesTheProviderApiRecordsUpdatesInTheStoreAndShutsDownInOrder() {
        Path data = temp.resolve("data");
        ImServer server = start(ServeConfigs.kubeconfig(data, kubeconfig));
        HarnessClient client = client(server);

        client.post("/ucloud/k8s/jobs", items(ScriptedComputePlugin.job("j-1", "first")));

        awaitState(server, "j-1", JobState.RUNNING);
        JsonNode shown = client.get("/harness/jobs/j-1");
        assertThat(shown.path("updates")).hasSize(2);
        assertThat(shown.path("updates").get(0).path("status").asString()).isEqualTo("Preparing: 50%");
        assertThat(shown.path("updates").get(1).path("state").asString()).isEqualTo("RUNNING");
        assertThat(Files.exists(data.resolve(ImServer.JOB_STORE + ".mv.db"))).isTrue();
        assertThat(server.cluster().description())
                .isEqualTo(cluster.url() + " (kubeconfig " + kubeconfig.toAbsolutePath() + ", context test)");
        assertThat(server.cluster().isSimulation()).isFalse();
        URI metrics = server.url().resolve("/metrics");

        assertThat(server.shutDown()).isEmpty();

        assertThat(nothingAnswersAt(metrics)).as("the API server stopped").isTrue();
        // The store is closed: another process (here: this one) can open the file.
        try (H2JobStore reopened = H2JobStore.open(data.resolve(ImServer.JOB_STORE), Clock.systemUTC())) {
            assertThat(reopened.updates("j-1")).hasSize(2);
        }
    }

    @Test
    void metricsCountTheUpdatesTheBackendSent() {
        try (ImServer server = start(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig))) {
            client(server).post("/ucloud/k8s/jobs", items(ScriptedComputePlugin.job("j-2", "second")));
            awaitState(server, "j-2", JobState.RUNNING);
            String metrics = httpGet(server.url().resolve("/metrics"));
            assertThat(metrics).contains("ucloud_im_job_updates_received_total{state=\"RUNNING\"} 1.0")
                    .contains("ucloud_im_job_updates_received_total{state=\"none\"} 1.0")
                    .contains("ucloud_im_jobs{state=\"RUNNING\"} 1.0");
        }
    }

    @Test
    void aRestartedServerKnowsTheJobsAndTheirUpdates() {
        Path data = temp.resolve("data");
        try (ImServer first = start(ServeConfigs.kubeconfig(data, kubeconfig))) {
            HarnessClient client = client(first);
            client.post("/ucloud/k8s/jobs", items(ScriptedComputePlugin.job("j-3", "third")));
            awaitState(first, "j-3", JobState.RUNNING);
            client.post("/ucloud/k8s/jobs/suspend", JSON.readTree("{\"items\": [{\"job\": "
                    + ScriptedComputePlugin.job("j-3", "third") + "}]}"));
            awaitState(first, "j-3", JobState.SUSPENDED);
        }
        try (ImServer second = start(ServeConfigs.kubeconfig(data, kubeconfig))) {
            HarnessClient client = client(second);
            assertThat(client.get("/harness/jobs/j-3").path("state").asString()).isEqualTo("SUSPENDED");
            client.post("/ucloud/k8s/jobs/unsuspend", JSON.readTree("{\"items\": [{\"job\": "
                    + ScriptedComputePlugin.job("j-3", "third") + "}]}"));
            awaitState(second, "j-3", JobState.RUNNING);
            // The second IM asked the backend to keep the job suspended first (this backend says so again).
            assertThat(second.store().updates("j-3")).extracting(u -> u.state()).filteredOn(s -> s != null)
                    .startsWith(JobState.RUNNING, JobState.SUSPENDED).endsWith(JobState.SUSPENDED, JobState.RUNNING);
        }
    }

    @Test
    void tokenModeStillWorksWithATokenFileBesideTheConfigurationAndWarnsThatItIsNotForUCloud() throws IOException {
        Files.createDirectories(temp.resolve("etc"));
        Files.writeString(temp.resolve("etc").resolve("token.txt"), "from-a-file-9f3a\n");
        ExampleConfigs config = ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig)
                .setYaml("harness.auth", "{ mode: token }").setYaml("harness.tokenFile", "token.txt");
        Logger log = (Logger) LoggerFactory.getLogger(ServeAuthentication.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try (ImServer server = start(config)) {
            HarnessClient client = new HarnessClient(server.url(), new StaticTokenCredentials("from-a-file-9f3a"),
                    Duration.ofSeconds(10));
            assertThat(client.get("/harness/jobs").path("jobs")).isEmpty();
            // Core's signed token is no use to an IM in token mode.
            HarnessClientException refused = catchThrowableOfType(HarnessClientException.class,
                    () -> client(server).get("/harness/jobs"));
            assertThat(refused.status()).isEqualTo(401);
        } finally {
            log.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("harness.auth.mode is token").contains("not for a real UCloud");
    }

    @Test
    void withoutCoresPublicKeyItRefusesAndSaysWhereToPutIt() throws IOException {
        Path data = temp.resolve("data");
        Path empty = Files.createDirectories(temp.resolve("no-key"));
        ServeException e = refusal(ServeConfigs.kubeconfig(data, kubeconfig)
                .setYaml("harness.auth.publicKeyFolder", "'" + empty + "'"));

        assertThat(e.exitStatus()).isEqualTo(ServeException.CONFIGURATION);
        assertThat(e.getMessage()).isEqualTo("harness.auth (mode jwt): no public key of UCloud/Core in " + empty
                + ": put Core's public key for this provider (the provider's 'publicKey', base64 without PEM lines) "
                + "in " + empty.resolve("ucloud_key.pub"));
        assertThat(data).doesNotExist();
    }

    @Test
    void aBrokenPublicKeyFileIsNamed() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("etc"));
        Files.writeString(folder.resolve("ucloud_crt.pem"), "-----BEGIN CERTIFICATE-----\nnot a key\n");
        // Without publicKeyFolder, the key of a real Core (remote mode) is in the configuration's folder.
        ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig)
                .remove("harness.auth.publicKeyFolder").setYaml("harness.core", "{ mode: remote }"));

        assertThat(e.exitStatus()).isEqualTo(ServeException.CONFIGURATION);
        assertThat(e.getMessage()).startsWith("harness.auth (mode jwt): " + folder.resolve("ucloud_crt.pem")
                + " is not base64");
    }

    @Test
    void aMissingTokenFileIsNamed() {
        ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig)
                .setYaml("harness.auth", "{ mode: token }").setYaml("harness.tokenFile", "missing.txt"));
        assertThat(e.exitStatus()).isEqualTo(ServeException.CONFIGURATION);
        assertThat(e.getMessage()).isEqualTo("harness.tokenFile: " + temp.resolve("etc").resolve("missing.txt") + " does not exist");
    }

    @Test
    void aPortInUseIsNamedAndNothingIsLeftOpen() throws IOException {
        Path data = temp.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServeException e = refusal(ServeConfigs.kubeconfig(data, kubeconfig)
                    .setYaml("harness.server.port", Integer.toString(taken.getLocalPort())));

            assertThat(e.exitStatus()).isEqualTo(ServeException.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is in use (another ucloud-im serve, or another program?) (harness.server)");
        }
        try (H2JobStore reopened = H2JobStore.open(data.resolve(ImServer.JOB_STORE), Clock.systemUTC())) {
            assertThat(reopened.list()).isEmpty();
        }
    }

    @Test
    void anUnreachableClusterFailsFastWithTheReason() {
        try (RefusingPort closed = RefusingPort.open()) {
            Path nowhere = Kubeconfigs.write(temp.resolve("nowhere.kubeconfig"), "http://127.0.0.1:" + closed.port(),
                    "gone");
            ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), nowhere));

            assertThat(e.exitStatus()).isEqualTo(ServeException.ENVIRONMENT);
            assertThat(e.getMessage()).isEqualTo("cannot reach the Kubernetes API at http://127.0.0.1:" + closed.port()
                    + "/ (kubeconfig " + nowhere.toAbsolutePath() + ", context gone): connection refused");
        }
    }

    @Test
    void aClusterThatForbidsListingVmsPointsAtTheRbac() {
        cluster.server().expect().get().withPath("/apis/kubevirt.io/v1/namespaces/ucloud-apps/virtualmachines?limit=1")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"message\":\"forbidden\"}").always();
        ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig));

        assertThat(e.getMessage()).contains("does not allow the IM to list VirtualMachines in namespace 'ucloud-apps'")
                .contains("deploy/rbac.yaml");
    }

    @Test
    void aMissingKubeconfigContextListsTheContexts() {
        ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig)
                .setYaml("harness.kubernetes.context", "production"));
        assertThat(e.getMessage()).isEqualTo("kubeconfig " + kubeconfig.toAbsolutePath()
                + " has no context 'production'; its contexts: test (harness.kubernetes.context)");
    }

    @Test
    void aMissingKubeconfigFileIsNamed() {
        ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), temp.resolve("no-such-kubeconfig")));
        assertThat(e.getMessage()).isEqualTo("the kubeconfig file " + temp.resolve("no-such-kubeconfig").toAbsolutePath()
                + " does not exist (harness.kubernetes.kubeconfig)");
    }

    @Test
    void aRelativeKubeconfigIsFoundBesideTheConfiguration() throws IOException {
        Files.createDirectories(temp.resolve("etc"));
        Kubeconfigs.write(temp.resolve("etc").resolve("kube.yaml"), cluster.url(), "beside");
        try (ImServer server = start(ServeConfigs.serving(temp.resolve("data"), "{ mode: kubeconfig, kubeconfig: kube.yaml }"))) {
            assertThat(server.cluster().description()).contains("context beside");
        }
    }

    @Test
    void aBackendThatCannotOpenStopsTheStart() {
        cluster.server().expect().get().withPath("/api/v1/namespaces/ucloud-apps/configmaps")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"message\":\"configmaps are forbidden\"}").always();
        ServeException e = refusal(ServeConfigs.kubeconfig(temp.resolve("data"), kubeconfig));
        assertThat(e.exitStatus()).isEqualTo(ServeException.ENVIRONMENT);
        assertThat(e.getMessage()).startsWith("a compute backend cannot start: plugin 'compute-scripted' (Scripted) "
                + "failed to open: ");
    }

    @Test
    void embeddedModeSaysLoudlyThatItIsASimulation() {
        Logger banner = (Logger) LoggerFactory.getLogger(SimulationBanner.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        banner.addAppender(appender);
        URI api;
        try (ImServer server = start(ServeConfigs.embedded(temp.resolve("data")))) {
            assertThat(server.cluster().isSimulation()).isTrue();
            assertThat(server.cluster().description()).startsWith("embedded Kubernetes API at http://");
            api = URI.create(server.cluster().access().client().getMasterUrl().toString());
            client(server).post("/ucloud/k8s/jobs", items(ScriptedComputePlugin.job("j-9", "embedded")));
            awaitState(server, "j-9", JobState.RUNNING);
        } finally {
            banner.detachAppender(appender);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("EMBEDDED MODE - A SIMULATION"))
                .anyMatch(l -> l.contains("NO VIRTUAL MACHINE REALLY RUNS"));
        assertThat(appender.list).allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
        // The in-process API server went with the IM.
        assertThat(nothingAnswersAt(api.resolve("/version"))).isTrue();
    }

    private static void awaitState(ImServer server, String jobId, JobState state) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(server.store().find(jobId)).get().extracting(s -> s.state()).isEqualTo(state));
    }

    /**
     * Whether no HTTP server answers at {@code uri} any more. Not "the port can be bound again": once released, the
     * port may at once be another process's (most likely as the local end of an outgoing connection, which answers
     * nothing).
     */
    private static boolean nothingAnswersAt(URI uri) {
        try {
            java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                    java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return false;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String httpGet(URI uri) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
