package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.KubeVirtComputeBackend;
import dk.sdu.cloud.im.spi.compute.JobRejectedException;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An IM that stops in the middle of a lifecycle step, and a new backend over the same API server and file system
 * that is opened and carries on: the job reaches the right state, no object is left that nothing would delete,
 * and no state is sent twice.
 */
class RestartLifecycleTest extends BackendTestbed {

    private static final String FAILURE = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"code\":500,\"message\":\"the IM went away\"}";

    @Test
    void midStartWhileTheDiskIsPrepared() {
        Job job = job("a");
        CountDownLatch download = images.hold(IMAGE_PATH);
        backend.start(job);
        await().until(() -> images.waiting(IMAGE_PATH) == 1);
        awaitState(job, JobState.IN_QUEUE);
        stop(backend);

        KubeVirtComputeBackend second = openBackend();
        await().until(() -> images.waiting(IMAGE_PATH) == 2);   // the new IM asks for the image again
        download.countDown();

        awaitState(job, JobState.RUNNING);
        assertThat(intentOf(job)).isEqualTo("running");
        assertThat(sshService(job)).isNotNull();
        assertThat(updates.statesOf(job.id())).containsExactly(JobState.IN_QUEUE, JobState.RUNNING);
        awaitSimulatorIdle();
        assertThat(snapshot().orphans()).isEmpty();
        assertThat(snapshot().volumePhases().values()).containsOnly("Bound");
        second.close();
    }

    @Test
    void midStartAfterAFailedStep() {
        Job job = job("b");
        embedded.server().expect().post().withPath("/api/v1/namespaces/" + namespace + "/secrets")
                .andReturn(500, FAILURE).once();
        assertThatThrownBy(() -> backend.start(job)).hasMessageContaining("Secret " + vmName(job))
                .hasMessageContaining("the IM went away");
        stop(backend);

        // Core repeats nothing: the new IM finds the VM halted with the intent "starting", and carries on.
        openBackend();

        awaitState(job, JobState.RUNNING);
        assertThat(snapshot().names()).contains("Secret/" + vmName(job) + "-cloud-init", "Service/j-" + job.id() + "-ssh");
        awaitSimulatorIdle();
        assertThat(snapshot().orphans()).isEmpty();
        assertNoStateRepeated(job);
    }

    @Test
    void midSuspend() {
        Job job = job("c");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        embedded.server().expect().delete()
                .withPath("/api/v1/namespaces/" + namespace + "/services/j-" + job.id() + "-ssh")
                .andReturn(500, FAILURE).once();
        assertThatThrownBy(() -> backend.suspend(job)).hasMessageContaining("Service j-" + job.id() + "-ssh");
        stop(backend);

        KubeVirtComputeBackend second = openBackend();

        awaitState(job, JobState.SUSPENDED);
        await().until(() -> sshService(job) == null);
        awaitSimulatorIdle();
        assertThat(snapshot().names()).doesNotContain("VirtualMachineInstance/" + vmName(job));
        assertThat(snapshot().orphans()).isEmpty();
        assertNoStateRepeated(job);

        second.unsuspend(job);
        awaitState(job, JobState.RUNNING);
        assertThat(sshService(job)).isNotNull();
    }

    @Test
    void midTerminateBeforeTheVmWasDeleted() throws Exception {
        Job job = job("d");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        embedded.server().expect().delete()
                .withPath("/apis/kubevirt.io/v1/namespaces/" + namespace + "/virtualmachines/" + vmName(job))
                .andReturn(500, FAILURE).once();
        assertThatThrownBy(() -> backend.terminate(job)).hasMessageContaining("VirtualMachine " + vmName(job));
        stop(backend);

        openBackend();

        awaitState(job, JobState.SUCCESS);
        await().until(() -> snapshot().names().isEmpty());
        assertThat(trash()).singleElement().satisfies(file ->
                assertThat(file.getFileName().toString()).startsWith("virtual-machine-job-" + job.id() + "-disk-"));
        assertThat(updates.statesOf(job.id())).containsOnlyOnce(JobState.SUCCESS).endsWith(JobState.SUCCESS);
    }

    @Test
    void midTerminateAfterTheVmWentBeforeTheDiskWasMoved() throws Exception {
        Job job = job("e");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        Path trash = fileSystem.trashStagingArea();
        Files.writeString(trash, "a file where the trash folder should be");
        assertThatThrownBy(() -> backend.terminate(job)).hasMessageContaining("Could not move the disk of job " + job.id());
        await().until(() -> vmOf(job) == null);
        awaitSimulatorIdle();
        // The disk's volume records the termination, so it outlives its release until the disk is in the trash.
        assertThat(snapshot().names()).contains("PersistentVolume/" + vmName(job));
        // Half terminated is terminated: the job is not made again.
        assertThatThrownBy(() -> backend.start(job)).isInstanceOf(JobRejectedException.class)
                .hasMessage("job " + job.id() + " was terminated");
        assertThat(vmOf(job)).isNull();
        stop(backend);
        Files.delete(trash);

        KubeVirtComputeBackend second = openBackend();
        // The new IM knows it from the disk volume's mark, before and after it has finished the termination.
        assertThatThrownBy(() -> second.unsuspend(job)).isInstanceOf(JobRejectedException.class)
                .hasMessage("job " + job.id() + " was terminated");

        awaitState(job, JobState.SUCCESS);
        await().until(() -> snapshot().names().isEmpty());
        assertThat(trash()).hasSize(1);
        assertThat(disk(job)).doesNotExist();
        assertThat(updates.statesOf(job.id())).containsOnlyOnce(JobState.SUCCESS);
        assertThatThrownBy(() -> second.start(job)).isInstanceOf(JobRejectedException.class);
        assertThat(snapshot().names()).isEmpty();
    }

    @Test
    void aRestartSendsNothingCoreAlreadyHas() {
        Job running = job("f1");
        Job suspended = job("f2");
        backend.start(running);
        backend.start(suspended);
        awaitState(running, JobState.RUNNING);
        awaitState(suspended, JobState.RUNNING);
        backend.suspend(suspended);
        awaitState(suspended, JobState.SUSPENDED);
        awaitSimulatorIdle();
        stop(backend);
        int sent = updates.all().size();
        counter.reset();

        KubeVirtComputeBackend second = openBackend();
        awaitSimulatorIdle();

        assertThat(updates.all()).hasSize(sent);
        assertThat(counter.snapshot().writes()).as("requests: %s", counter.snapshot().byVerbAndResource()).isZero();
        second.start(running);
        assertThat(counter.snapshot().writes()).isZero();
    }
}
