package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.kubevirt.testing.TestKubernetesAccess;
import dk.sdu.cloud.im.kubevirt.lifecycle.LifecycleComponents;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.kubevirt.metrics.GuestMetricsFeed;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import dk.sdu.cloud.im.spi.compute.FollowOutput;
import dk.sdu.cloud.im.spi.compute.FollowSession;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KubeVirtComputeBackend#follow} as the host calls it: the metrics feed of the composition root reads the
 * job's work folder, a job without a VM is followed (not refused), and a terminate ends the stream.
 */
class KubeVirtComputeBackendFollowTest extends EmbeddedClusterTest {
    @TempDir
    Path root;
    private final List<Path> followedFolders = new CopyOnWriteArrayList<>();
    private final List<Consumer<FollowMessage>> sinks = new CopyOnWriteArrayList<>();
    private final List<Path> stopped = new CopyOnWriteArrayList<>();
    private final GuestMetricsFeed feed = (workFolder, rank, sink) -> {
        followedFolders.add(workFolder);
        sinks.add(sink);
        return () -> stopped.add(workFolder);
    };
    private final List<FollowMessage> messages = new CopyOnWriteArrayList<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final FollowOutput output = new FollowOutput() {
        @Override
        public void message(FollowMessage message) {
            messages.add(message);
        }

        @Override
        public void ended(String reason) {
            ended.add(reason);
        }
    };
    private KubeVirtComputeBackend backend;
    private Job job;

    @BeforeEach
    void openBackend() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        KubernetesAccess access = TestKubernetesAccess.of(client, namespace);
        backend = KubeVirtComputeBackend.withComponents(provider.config(), provider.storage(), access,
                new TestFileSystem(root), provider.catalog(), provider.settings(), provider.ssh(),
                new RecordingJobUpdates(), jobId -> List.of(), Clock.systemUTC(),
                new Installation(root.resolve("installation")), NetworkResources.none(), LifecycleComponents.standard().withMetricsFeed(feed));
        backend.open();
        job = ExampleJobs.vmJob(edit -> edit.id = unique);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void aJobWithoutAVmYetIsFollowedAndItsWorkFoldersMetricsReachTheOutput() {
        FollowSession session = backend.follow(job, 0, output);

        assertThat(followedFolders).hasSize(1);
        Path work = followedFolders.get(0);
        assertThat(work.startsWith(root)).as(work.toString()).isTrue();
        assertThat(work.getFileName().toString()).isEqualTo("work");
        sinks.get(0).accept(FollowMessage.onChannel(0, "kv", "{\"os\":\"Ubuntu\"}"));
        assertThat(messages).containsExactly(FollowMessage.onChannel(0, "kv", "{\"os\":\"Ubuntu\"}"));
        assertThat(ended).isEmpty();

        session.close();
        assertThat(stopped).containsExactly(work);
    }

    @Test
    void aTerminateEndsTheJobsStreams() {
        backend.follow(job, 0, output);
        backend.terminate(job);
        // Once: by the final state the terminate reports, or by the terminate itself, whichever comes first.
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0)).isIn("the job ended (SUCCESS)", "the job was terminated");
        assertThat(stopped).hasSize(1);
    }

    @Test
    void onlyRankZeroIsFollowed() {
        assertThatThrownBy(() -> backend.follow(job, 1, output)).isInstanceOf(JobRejectedException.class)
                .hasMessage("A virtual machine job has one machine (rank 0); there is no rank 1.");
        assertThat(followedFolders).isEmpty();
    }
}
