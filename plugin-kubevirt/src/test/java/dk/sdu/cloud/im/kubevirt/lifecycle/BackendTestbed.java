package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.testing.Awaits;
import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import dk.sdu.cloud.im.kubevirt.KubeVirtConfig;
import dk.sdu.cloud.im.kubevirt.disk.ImageServer;
import dk.sdu.cloud.im.kubevirt.disk.TestImages;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.RecordingJobUpdates;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshKeyDirectory;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.kubevirt.testing.TestKubernetesAccess;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the backend's lifecycle tests share: the embedded API with the KubeVirt simulator (per test a namespace),
 * a provider file system in a temporary folder, HostPath-like storage, a local image server with a tiny qcow2
 * made by qemu-img, job updates recorded as Core would receive them, and backends built as the host builds them
 * (a new one over the same server and file system is an IM restart).
 */
abstract class BackendTestbed extends EmbeddedClusterTest {
    static final String IMAGE_PATH = "/images/debian-12.qcow2";
    static final KubeVirtConfig.ImageDownloads LOOPBACK_MIRROR = new KubeVirtConfig.ImageDownloads(
            List.of("127.0.0.1/32"), List.of());
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHw alice@example";
    private static byte[] imageBytes;

    @TempDir
    Path root;
    /** The IM's installation folder; it has no agent bundle unless a test puts one there. */
    Path installation;
    ImageServer images;
    final RecordingJobUpdates updates = new RecordingJobUpdates();
    TestFileSystem fileSystem;
    ExampleProvider provider;
    KubeVirtComputeBackend backend;
    /** The host's network resources the backends look jobs' links up in; a test may set its own before opening one. */
    NetworkResources networks = NetworkResources.none();
    private final List<KubeVirtComputeBackend> backends = new ArrayList<>();

    @BeforeAll
    static void makeImage(@TempDir Path folder) throws IOException {
        TestImages.requireQemuImg();
        imageBytes = Files.readAllBytes(TestImages.qcow2(folder, "debian-12.qcow2",
                TestImages.pattern((int) TestImages.MIB, 12)));
    }

    @BeforeEach
    void startBackend() throws IOException {
        images = new ImageServer().serve(IMAGE_PATH, imageBytes);
        fileSystem = new TestFileSystem(Files.createDirectories(root.resolve("mnt")));
        installation = Files.createDirectories(root.resolve("installation"));
        ExampleProvider example = ExampleProvider.load(ExampleProvider.HOSTPATH);
        // The image server is on loopback: allowed as an operator allows an internal mirror.
        provider = new ExampleProvider(example.config().withImageDownloads(LOOPBACK_MIRROR), example.settings(),
                example.ssh(), example.catalog(), example.storage(), fileSystem, namespace);
        backend = openBackend();
    }

    @AfterEach
    void stopBackends() {
        backends.forEach(KubeVirtComputeBackend::close);
        images.close();
    }

    /** A backend as the host makes it, opened: its own (counted) client, the same server and file system. */
    KubeVirtComputeBackend openBackend() {
        return openBackend(provider.ssh());
    }

    KubeVirtComputeBackend openBackend(SshSettings ssh) {
        KubeVirtComputeBackend made = newBackend(newCountedClient(), ssh);
        made.open();
        return made;
    }

    KubeVirtComputeBackend newBackend(KubernetesClient kubernetesClient, SshSettings ssh) {
        return newBackend(kubernetesClient, ssh, updates, jobId -> List.of(SSH_KEY));
    }

    /** A backend with the host's job updates and SSH keys given (e.g. ones that hold a step until released). */
    KubeVirtComputeBackend newBackend(KubernetesClient kubernetesClient, SshSettings ssh, JobUpdates jobUpdates,
                                      SshKeyDirectory keys) {
        return newBackend(kubernetesClient, ssh, jobUpdates, keys, LifecycleComponents.standard());
    }

    /** A backend whose lifecycle has the given components (e.g. the test's own disk preparations). */
    KubeVirtComputeBackend newBackend(KubernetesClient kubernetesClient, SshSettings ssh, JobUpdates jobUpdates,
                                      SshKeyDirectory keys, LifecycleComponents components) {
        KubernetesAccess access = TestKubernetesAccess.of(kubernetesClient, namespace);
        KubeVirtComputeBackend made = KubeVirtComputeBackend.withComponents(provider.config(), provider.storage(),
                access, fileSystem, provider.catalog(), provider.settings(), ssh, jobUpdates, keys, Clock.systemUTC(),
                new Installation(installation), networks, components);
        backends.add(made);
        return made;
    }

    /** In place of the test's first backend: one whose disks are prepared when the test says so. */
    KubeVirtComputeBackend openBackendWith(ScriptedDiskPreparations disks) {
        stop(backend);
        KubeVirtComputeBackend made = newBackend(newCountedClient(), provider.ssh(), updates, jobId -> List.of(SSH_KEY),
                LifecycleComponents.standard().withDiskPreparations(services -> disks));
        made.open();
        return made;
    }

    /** The IM goes away: the backend closes and its client with it. */
    void stop(KubeVirtComputeBackend im) {
        im.close();
    }

    /** The example VM job, with an id of this test and the local image. */
    Job job(String suffix) {
        return job(suffix, edit -> { });
    }

    Job job(String suffix, Consumer<ExampleJobs.Edit> change) {
        return ExampleJobs.vmJob(edit -> {
            edit.id = unique + suffix;
            edit.image = images.url(IMAGE_PATH).toString();
            change.accept(edit);
        });
    }

    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .atMost(Duration.ofSeconds(60)).conditionEvaluationListener(Awaits.THREADS_ON_TIMEOUT);
    }

    void awaitState(Job job, JobState state) {
        await().until(() -> updates.lastStateOf(job.id()) == state);
    }

    static String vmName(Job job) {
        return "vm-" + job.id() + "-0";
    }

    Path jobFolder(Job job) {
        return fileSystem.resolve(fileSystem.jobFolder(job));
    }

    Path disk(Job job) {
        return jobFolder(job).resolve("disk.img");
    }

    GenericKubernetesResource vmOf(Job job) {
        return vm(vmName(job));
    }

    String intentOf(Job job) {
        GenericKubernetesResource vm = vmOf(job);
        Map<String, String> annotations = vm == null ? null : vm.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("ucloud.dk/lifecycle");
    }

    Service publicIpService(Job job) {
        return admin.services().inNamespace(namespace).withName("j-" + job.id() + "-ip").get();
    }

    Service sshService(Job job) {
        return admin.services().inNamespace(namespace).withName("j-" + job.id() + "-ssh").get();
    }

    List<Path> trash() throws IOException {
        Path trash = fileSystem.trashStagingArea();
        if (!Files.isDirectory(trash)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(trash)) {
            return files.sorted().toList();
        }
    }

    /** Every update sent for a job, for messages of failed assertions. */
    String updatesOf(Job job) {
        return updates.of(job.id()).toString();
    }

    void assertNoStateRepeated(Job job) {
        assertThat(updates.repeatedStatesOf(job.id())).as("states sent twice in a row: %s", updatesOf(job)).isEmpty();
    }
}
