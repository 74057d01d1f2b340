package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.kubevirt.testing.ClusterSnapshot;
import dk.sdu.cloud.im.simulator.ApiVerb;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting VM jobs through the backend, against the embedded API, the simulator and a real disk preparation. */
class StartLifecycleTest extends BackendTestbed {

    @Test
    void aStartIsInQueueWithDiskProgressThenRunningWithSsh() throws Exception {
        Job job = job("a");
        CountDownLatch download = images.hold(IMAGE_PATH);

        backend.start(job);

        // Accepted before the disk is ready: the objects exist with the VM halted while the disk is made.
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("Halted");
        assertThat(intentOf(job)).isEqualTo("starting");
        assertThat(vmOf(job).getMetadata().getAnnotations().get("ucloud.dk/job")).contains("\"id\":\"" + job.id() + "\"");
        assertThat(snapshot().names()).contains("PersistentVolume/" + vmName(job), "PersistentVolumeClaim/" + vmName(job),
                "Secret/" + vmName(job) + "-cloud-init", "NetworkPolicy/policy-" + job.id(), "Service/j-" + job.id())
                .doesNotContain("Service/j-" + job.id() + "-ssh");
        assertThat(jobFolder(job).resolve("config")).isDirectory();
        assertThat(jobFolder(job).resolve("work")).isDirectory();
        assertThat(fileSystem.resolve("ucloud-exe")).isDirectory();
        assertThat(Files.readString(jobFolder(job).resolve("config/mounts.yml"))).contains("ucloud-r0", "/work/Data");
        await().until(() -> images.waiting(IMAGE_PATH) == 1);
        awaitState(job, JobState.IN_QUEUE);
        assertThat(updates.statesOf(job.id())).containsExactly(JobState.IN_QUEUE);

        download.countDown();

        awaitState(job, JobState.RUNNING);
        assertThat(vmi(vmName(job))).isNotNull();
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("RerunOnFailure");
        assertThat(intentOf(job)).isEqualTo("running");
        assertThat(disk(job)).isRegularFile();
        assertThat(Files.size(disk(job))).isEqualTo(60L << 30);
        assertThat(sshService(job).getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(2000));
        assertThat(updates.of(job.id())).extracting(JobUpdate::status).contains("Downloading disk image: 100% (1 of 1 MiB)")
                .anyMatch(status -> status != null && status.startsWith("Converting disk image"))
                .contains("Resizing disk to 60 GiB", "Disk ready (60 GiB)");
        JobUpdate running = updates.of(job.id()).stream().filter(u -> u.state() == JobState.RUNNING).findFirst().orElseThrow();
        assertThat(running.status()).isEqualTo("SSH: Connected! Available at: ssh ucloud@ssh.example.org -p 2000");
        assertThat(updates.statesOf(job.id())).containsExactly(JobState.IN_QUEUE, JobState.RUNNING);
        awaitSimulatorIdle();
        assertThat(snapshot().orphans()).isEmpty();
    }

    @Test
    void startingARunningJobAgainWritesNothing() {
        Job job = job("b");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        awaitSimulatorIdle();
        ClusterSnapshot before = snapshot();
        int sent = updates.of(job.id()).size();
        counter.reset();

        backend.start(job);

        assertThat(counter.snapshot().writes()).as("requests: %s", counter.snapshot().byVerbAndResource()).isZero();
        awaitSimulatorIdle();
        assertThat(snapshot().uids()).isEqualTo(before.uids());
        assertThat(snapshot().versions()).isEqualTo(before.versions());
        assertThat(updates.of(job.id())).hasSize(sent);
    }

    @Test
    void aRestartedImStartingARunningJobKeepsItsTokensAndWritesNothing() {
        Job job = job("c");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        awaitSimulatorIdle();
        String userData = userDataOf(job);
        stop(backend);
        counter.reset();

        openBackend().start(job);

        assertThat(counter.snapshot().writes()).as("requests: %s", counter.snapshot().byVerbAndResource()).isZero();
        assertThat(userDataOf(job)).isEqualTo(userData).contains("agentToken");
        assertNoStateRepeated(job);
    }

    @Test
    void aJobWhoseDiskExistsIsCreatedRunningAtOnce() throws Exception {
        Job job = job("d");
        Files.createDirectories(jobFolder(job));
        Files.write(disk(job), new byte[4096]);
        counter.reset();

        backend.start(job);

        // The cache tells a new job (no read), then only creates: no halted step, no preparation, no download.
        // Then the Service's address (from the object cache, which holds the Service as its create returned it) is
        // reported and noted on it: one patch.
        assertThat(counter.snapshot().byVerb()).containsOnlyKeys(ApiVerb.CREATE, ApiVerb.PATCH);
        assertThat(counter.snapshot().of(ApiVerb.PATCH)).isEqualTo(1);
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("RerunOnFailure");
        assertThat(intentOf(job)).isEqualTo("running");
        awaitState(job, JobState.RUNNING);
        assertThat(images.requests(IMAGE_PATH)).isZero();
        assertThat(Files.size(disk(job))).isEqualTo(4096);
    }

    @Test
    void aRejectedJobCreatesNothing() {
        Job job = job("e", edit -> edit.replicas = 2);

        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("exactly 1 node");

        assertThat(snapshot().names()).isEmpty();
        assertThat(jobFolder(job)).doesNotExist();
        assertThat(updates.of(job.id())).isEmpty();
    }

    @Test
    void severalJobsAtOnceEachGetTheirOwnSshPortAndOneDownload() throws Exception {
        Job[] jobs = {job("f1"), job("f2"), job("f3"), job("f4")};
        Thread[] starters = new Thread[jobs.length];
        for (int i = 0; i < jobs.length; i++) {
            Job job = jobs[i];
            starters[i] = new Thread(() -> backend.start(job));
            starters[i].start();
        }
        for (Thread starter : starters) {
            starter.join();
        }

        for (Job job : jobs) {
            awaitState(job, JobState.RUNNING);
        }
        assertThat(java.util.Arrays.stream(jobs).map(job -> sshService(job).getSpec().getPorts().get(0).getPort()))
                .containsExactlyInAnyOrder(2000, 2001, 2002, 2003);
        assertThat(images.requests(IMAGE_PATH)).isEqualTo(1);
        awaitSimulatorIdle();
        assertThat(snapshot().orphans()).isEmpty();
        for (Job job : jobs) {
            assertNoStateRepeated(job);
        }
    }

    @Test
    void withoutAFreeSshPortTheVmRunsWithoutSsh() {
        var oneEach = new dk.sdu.cloud.im.spi.host.SshSettings(true, "10.0.0.10", "ssh.example.org", 2000, 2001);
        stop(backend);
        backend = openBackend(oneEach);
        Job first = job("g1");
        Job second = job("g2");
        backend.start(first);
        awaitState(first, JobState.RUNNING);

        backend.start(second);

        awaitState(second, JobState.RUNNING);
        assertThat(sshService(second)).isNull();
        assertThat(updates.hasMessage(second.id(), "No SSH port is free (ports 2000-2000 are all in use): the virtual "
                + "machine runs without SSH access.")).isTrue();
        // Without an SSH line, the RUNNING update carries the boot stage.
        assertThat(updates.of(second.id())).filteredOn(u -> u.state() == JobState.RUNNING).singleElement()
                .satisfies(u -> assertThat(u.status()).isEqualTo("The guest is booting."));
        assertThat(sshService(first).getSpec().getPorts().get(0).getPort()).isEqualTo(2000);
    }

    @Test
    void theMountsFileFollowsTheFoldersOfEachStart() throws Exception {
        Job job = job("h");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        Path mounts = jobFolder(job).resolve("config/mounts.yml");
        assertThat(Files.readString(mounts)).contains("/work/Reference");
        Files.writeString(mounts, "mounts: []\n");

        backend.start(job);

        assertThat(Files.readString(mounts)).contains("/work/Data", "/work/Reference");
    }

    @Test
    void theVmIsSwitchedOnWhenTheDiskIsReady() throws Exception {
        ScriptedDiskPreparations disks = new ScriptedDiskPreparations();
        KubeVirtComputeBackend im = openBackendWith(disks);
        Job job = job("i");
        im.start(job);
        assertThat(intentOf(job)).isEqualTo("starting");
        assertThat(disks.isRunning(job.id())).isTrue();

        ScriptedDiskPreparations.awaitFollowUp(disks.finish(job.id()));

        assertThat(intentOf(job)).isEqualTo("running");
        awaitState(job, JobState.RUNNING);
        assertThat(sshService(job)).isNotNull();
        assertThat(images.requests(IMAGE_PATH)).as("no real preparation ran").isZero();
    }

    private String userDataOf(Job job) {
        Secret secret = admin.secrets().inNamespace(namespace).withName(vmName(job) + "-cloud-init").get();
        return new String(Base64.getDecoder().decode(secret.getData().get("userdata")), StandardCharsets.UTF_8);
    }
}
