package dk.sdu.cloud.im.kubevirt;

import dk.sdu.cloud.im.kubevirt.testing.TestKubernetesAccess;
import dk.sdu.cloud.im.kubevirt.agent.GuestTty;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtyListener;
import dk.sdu.cloud.im.kubevirt.agent.GuestTtys;
import dk.sdu.cloud.im.kubevirt.lifecycle.LifecycleComponents;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.compute.TerminalOutput;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KubeVirtComputeBackend#openShell} as the host calls it: which jobs get a shell, that it reaches the
 * agent of the job with the configured timeout, and that closing the backend ends open shells.
 */
class KubeVirtComputeBackendShellTest extends EmbeddedClusterTest {
    static final TerminalSize SIZE = new TerminalSize(80, 24);

    /** An agent that answers every request with a TTY at once. */
    static final class AnsweringAgents implements GuestTtys {
        final List<Duration> timeouts = new CopyOnWriteArrayList<>();
        final List<String> jobs = new CopyOnWriteArrayList<>();
        final List<Tty> ttys = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<GuestTty> open(String jobId, TerminalSize size, Duration timeout,
                                                GuestTtyListener listener) {
            jobs.add(jobId);
            timeouts.add(timeout);
            Tty tty = new Tty(listener);
            ttys.add(tty);
            return CompletableFuture.completedFuture(tty);
        }

        @Override
        public boolean isConnected(String jobId) {
            return true;
        }
    }

    static final class Tty implements GuestTty {
        final GuestTtyListener listener;
        final List<String> inputs = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        Tty(GuestTtyListener listener) {
            this.listener = listener;
        }

        @Override
        public void input(String data) {
            inputs.add(data);
        }

        @Override
        public void resize(TerminalSize size) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class Screen implements TerminalOutput {
        final StringBuilder text = new StringBuilder();
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void data(String data) {
            text.append(data);
        }

        @Override
        public void closed(String reason) {
            closed.add(reason);
        }
    }

    @TempDir
    Path root;
    final AnsweringAgents agents = new AnsweringAgents();
    final Screen screen = new Screen();
    KubeVirtComputeBackend backend;
    Job job;

    @BeforeEach
    void openBackend() {
        ExampleProvider provider = ExampleProvider.load(ExampleProvider.HOSTPATH);
        KubernetesAccess access = TestKubernetesAccess.of(client, namespace);
        backend = KubeVirtComputeBackend.withComponents(provider.config().withShellAgentTimeoutSeconds(7),
                provider.storage(), access, new TestFileSystem(root), provider.catalog(), provider.settings(),
                provider.ssh(), new RecordingJobUpdates(), jobId -> List.of(), Clock.systemUTC(),
                new Installation(root.resolve("installation")), NetworkResources.none(), LifecycleComponents.standard(), agents);
        backend.open();
        job = ExampleJobs.vmJob(edit -> edit.id = unique);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    void createVmi(String phase) {
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setApiVersion("kubevirt.io/v1");
        vmi.setKind("VirtualMachineInstance");
        vmi.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("vm-" + unique + "-0")
                .withNamespace(namespace).build());
        vmi.setAdditionalProperty("status", Map.of("phase", phase));
        admin.genericKubernetesResources(VMIS).inNamespace(namespace).resource(vmi).create();
    }

    @Test
    void aRunningVmsShellGoesThroughTheJobsAgentWithTheConfiguredTimeout() {
        createVmi("Running");

        TerminalSession session = backend.openShell(job, 0, SIZE, screen);
        Tty tty = agents.ttys.get(0);
        tty.listener.output(ByteBuffer.wrap("$ ".getBytes(StandardCharsets.UTF_8)));
        session.input("ls\r");

        assertThat(agents.jobs).containsExactly(unique);
        assertThat(agents.timeouts).containsExactly(Duration.ofSeconds(7));
        assertThat(screen.text.toString()).isEqualTo("$ ");
        assertThat(tty.inputs).containsExactly("ls\r");
        session.close();
        assertThat(tty.closed).isTrue();
    }

    @Test
    void closingTheBackendEndsOpenShells() {
        createVmi("Running");
        backend.openShell(job, 0, SIZE, screen);

        backend.close();

        assertThat(agents.ttys.get(0).closed).isTrue();
        assertThat(screen.closed).containsExactly("the integration module is stopping");
    }

    @Test
    void onlyRankZeroHasAShell() {
        createVmi("Running");

        assertThatThrownBy(() -> backend.openShell(job, 1, SIZE, screen)).isInstanceOf(JobRejectedException.class)
                .hasMessage("A virtual machine job has one machine (rank 0); there is no rank 1.");
        assertThat(agents.jobs).isEmpty();
    }

    @Test
    void aJobWithoutAVmHasNoShell() {
        assertThatThrownBy(() -> backend.openShell(job, 0, SIZE, screen)).isInstanceOf(JobRejectedException.class)
                .hasMessage("Job " + unique + " has no running virtual machine to open a shell in.");
        assertThat(agents.jobs).isEmpty();
    }

    @Test
    void aVmThatIsNotRunningHasNoShell() {
        createVmi("Scheduling");

        assertThatThrownBy(() -> backend.openShell(job, 0, SIZE, screen)).isInstanceOf(JobRejectedException.class)
                .hasMessage("Job " + unique + " has no running virtual machine to open a shell in (it is Scheduling).");
        assertThat(agents.jobs).isEmpty();
    }

    @Test
    void aJobWhoseIdCannotNameAVmHasNoShell() {
        Job odd = ExampleJobs.vmJob(edit -> edit.id = "Not/A-Name");

        assertThatThrownBy(() -> backend.openShell(odd, 0, SIZE, screen)).isInstanceOf(JobRejectedException.class)
                .hasMessage("This job has no virtual machine: its id cannot name one.");
    }
}
