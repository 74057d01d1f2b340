package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.boot.HostOptions;
import dk.sdu.cloud.im.harness.kubernetes.StandardClusterConnector;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.store.JobSubmission;
import dk.sdu.cloud.im.harness.testing.BuiltPlugins;
import dk.sdu.cloud.im.harness.testing.Kubeconfigs;
import dk.sdu.cloud.im.harness.testing.ScriptedComputePlugin;
import dk.sdu.cloud.im.harness.testing.ServeConfigs;
import dk.sdu.cloud.im.simulator.EmbeddedKubernetes;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An IM that stopped (or was killed) after it accepted jobs but before their backend carried them out
 * carries them on when it starts again, without Core asking again.
 */
class ServeCarriesStoredJobsOnTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path temp;
    private EmbeddedKubernetes cluster;
    private Path plugins;
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

    @Test
    void acceptedJobsThatNoBackendStartedAreStartedAtTheNextStart() {
        Path data = temp.resolve("data");
        // What a killed IM leaves behind: jobs accepted and recorded, their start never run.
        try (H2JobStore store = H2JobStore.open(data.resolve(ImServer.JOB_STORE), Clock.systemUTC())) {
            store.save(new JobSubmission("k-1", ScriptedComputePlugin.job("k-1", "first"), JobState.IN_QUEUE));
            store.save(new JobSubmission("k-2", ScriptedComputePlugin.job("k-2", "second"), JobState.IN_QUEUE));
        }
        HostOptions options = new HostOptions(ServeConfigs.kubeconfig(data, kubeconfig)
                .writeTo(temp.resolve("etc").resolve("config.yaml")), plugins);

        try (ImServer server = ImServer.start(options, new StandardClusterConnector())) {
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(server.store().find("k-1").orElseThrow().state()).isEqualTo(JobState.RUNNING);
                assertThat(server.store().find("k-2").orElseThrow().state()).isEqualTo(JobState.RUNNING);
            });
        }
    }
}
