package dk.sdu.cloud.im.kubevirt.bench;

import dk.sdu.cloud.im.kubevirt.testing.TestKubernetesAccess;
import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.kubevirt.testing.ExampleProvider;
import dk.sdu.cloud.im.kubevirt.testing.TestFileSystem;
import dk.sdu.cloud.im.spi.host.Installation;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.host.SshSettings;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import dk.sdu.cloud.im.spi.network.NetworkResources;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What the benchmarks start: the example provider (HostPath storage, SSH ports from {@link #SSH_PORT_MIN}) in one
 * namespace, example VM jobs whose disks are made beforehand (so a start creates the VM running at once, with no
 * download and no qemu-img), and backends on a given client.
 */
final class BenchJobs {
    static final int SSH_PORT_MIN = 20000;

    private final String namespace;
    private final TestFileSystem fileSystem;

    BenchJobs(String namespace, TestFileSystem fileSystem) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    /** The example provider with SSH and {@code maxParallelStarts} as given. */
    ExampleProvider provider(int maxParallelStarts) {
        ExampleProvider example = ExampleProvider.load(ExampleProvider.HOSTPATH);
        SshSettings ssh = new SshSettings(true, "10.0.0.10", "ssh.example.org", SSH_PORT_MIN, SSH_PORT_MIN + 30_000);
        return new ExampleProvider(example.config().withMaxParallelStarts(maxParallelStarts), example.settings(), ssh,
                example.catalog(), example.storage(), fileSystem, namespace);
    }

    /** {@code count} example jobs with ids {@code <prefix>0...}, each with its disk made already. */
    List<Job> jobs(String prefix, int count) throws IOException {
        List<Job> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            Job job = ExampleJobs.vmJob(edit -> {
                edit.id = id;
                edit.image = "http://images.example.invalid/never-downloaded.qcow2";   // disks are made beforehand
            });
            Path folder = Files.createDirectories(fileSystem.resolve(fileSystem.jobFolder(job)));
            try (RandomAccessFile disk = new RandomAccessFile(folder.resolve("disk.img").toFile(), "rw")) {
                disk.setLength(1 << 20);
            }
            list.add(job);
        }
        return list;
    }

    /** A backend of the provider on the client, sending its job updates to {@code updates}. */
    KubeVirtComputeBackend backend(ExampleProvider provider, KubernetesClient client, JobUpdates updates) {
        KubernetesAccess access = TestKubernetesAccess.of(client, namespace);
        return new KubeVirtComputeBackend(provider.config(), provider.storage(), access, fileSystem,
                provider.catalog(), provider.settings(), provider.ssh(), updates,
                jobId -> List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHw alice@example"), Clock.systemUTC(),
                new Installation(fileSystem.mountPoint().resolveSibling("installation")), NetworkResources.none());
    }
}
