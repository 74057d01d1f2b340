package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Suspend, unsuspend and terminate through the backend. */
class SuspendTerminateLifecycleTest extends BackendTestbed {

    @Test
    void suspendHaltsTheVmAndRemovesSshThenUnsuspendRunsItAgain() {
        Job job = job("a");
        backend.start(job);
        awaitState(job, JobState.RUNNING);

        backend.suspend(job);

        awaitState(job, JobState.SUSPENDED);
        await().until(() -> vmi(vmName(job)) == null);
        assertThat(sshService(job)).isNull();
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("Halted");
        assertThat(intentOf(job)).isEqualTo("suspended");
        counter.reset();
        backend.suspend(job);
        assertThat(counter.snapshot().writes()).isZero();

        backend.unsuspend(job);

        awaitState(job, JobState.RUNNING);
        assertThat(intentOf(job)).isEqualTo("running");
        assertThat(sshService(job).getSpec().getPorts().get(0).getPort()).isEqualTo(2000);
        // Unsuspended, the VM passes through "starting" (IN_QUEUE) on its way back to RUNNING.
        assertThat(updates.statesOf(job.id())).containsSubsequence(JobState.IN_QUEUE, JobState.RUNNING,
                JobState.SUSPENDED, JobState.RUNNING).endsWith(JobState.RUNNING)
                .doesNotContain(JobState.FAILURE, JobState.SUCCESS);
        assertNoStateRepeated(job);
        assertThat(updates.of(job.id())).filteredOn(u -> u.state() == JobState.RUNNING)
                .allSatisfy(u -> assertThat(u.status()).startsWith("SSH: Connected!"));
        awaitSimulatorIdle();
        assertThat(snapshot().orphans()).isEmpty();
    }

    @Test
    void aJobSuspendedWhileItsDiskIsPreparedStaysSuspendedAndUnsuspendRunsIt() {
        Job job = job("b");
        CountDownLatch download = images.hold(IMAGE_PATH);
        backend.start(job);
        await().until(() -> images.waiting(IMAGE_PATH) == 1);

        backend.suspend(job);
        awaitState(job, JobState.SUSPENDED);
        download.countDown();
        await().until(() -> Files.isRegularFile(disk(job)));
        awaitSimulatorIdle();

        assertThat(intentOf(job)).isEqualTo("suspended");
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("Halted");
        assertThat(updates.lastStateOf(job.id())).isEqualTo(JobState.SUSPENDED);

        backend.unsuspend(job);
        awaitState(job, JobState.RUNNING);
        assertThat(sshService(job)).isNotNull();
    }

    @Test
    void terminateReportsSuccessOnceTrashesTheDiskAndTheReleasedVolumesGo() throws Exception {
        Job job = job("c");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        long diskSize = Files.size(disk(job));

        backend.terminate(job);

        awaitState(job, JobState.SUCCESS);
        assertThat(disk(job)).doesNotExist();
        List<Path> trash = trash();
        assertThat(trash).singleElement().satisfies(file -> {
            assertThat(file.getFileName().toString()).matches("virtual-machine-job-" + job.id() + "-disk-[0-9a-f]{12}\\.img");
            assertThat(Files.size(file)).isEqualTo(diskSize);
        });
        // Ownership collects the rest, the volumes are Released, and the plugin deletes them: nothing is left.
        await().until(() -> snapshot().names().isEmpty());
        backend.terminate(job);
        assertThat(updates.statesOf(job.id())).containsOnlyOnce(JobState.SUCCESS).endsWith(JobState.SUCCESS);
        assertThat(trash()).hasSize(1);
    }

    @Test
    void terminatingWhileTheDiskIsPreparedStopsThePreparation() throws Exception {
        Job job = job("d");
        images.hold(IMAGE_PATH);
        backend.start(job);
        await().until(() -> images.waiting(IMAGE_PATH) == 1);

        backend.terminate(job);

        awaitState(job, JobState.SUCCESS);
        await().until(() -> snapshot().names().isEmpty());
        assertThat(disk(job)).doesNotExist();
        assertThat(trash()).isEmpty();
        try (var files = Files.list(jobFolder(job))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config", "work");
        }
    }

    @Test
    void terminatingAJobLeavesItsSharedImageDownloadToAnotherJobOfTheSameImage() {
        Job first = job("f1");
        Job second = job("f2");
        CountDownLatch download = images.hold(IMAGE_PATH);
        backend.start(first);
        await().until(() -> images.waiting(IMAGE_PATH) == 1);
        backend.start(second);
        await().until(() -> updates.hasMessage(second.id(), "Downloading disk image"));

        backend.terminate(first);
        awaitState(first, JobState.SUCCESS);
        download.countDown();

        awaitState(second, JobState.RUNNING);
        assertThat(images.requests(IMAGE_PATH)).isEqualTo(1);
        assertThat(updates.hasMessage(second.id(), "Preparing the disk failed")).as(updatesOf(second)).isFalse();
        assertThat(vmOf(first)).isNull();
    }

    @Test
    void suspendingAJobLeavesItsSharedImageDownloadToAnotherJobOfTheSameImage() {
        Job first = job("g1");
        Job second = job("g2");
        CountDownLatch download = images.hold(IMAGE_PATH);
        backend.start(first);
        await().until(() -> images.waiting(IMAGE_PATH) == 1);
        backend.start(second);
        await().until(() -> updates.hasMessage(second.id(), "Downloading disk image"));

        backend.suspend(first);
        awaitState(first, JobState.SUSPENDED);
        download.countDown();

        awaitState(second, JobState.RUNNING);
        assertThat(updates.hasMessage(second.id(), "Preparing the disk failed")).as(updatesOf(second)).isFalse();
        // The suspended job's disk comes from the cached image when it runs again.
        backend.unsuspend(first);
        awaitState(first, JobState.RUNNING);
        assertThat(images.requests(IMAGE_PATH)).isEqualTo(1);
    }

    @Test
    void terminatingAnUnknownJobIsNoError() throws Exception {
        Job job = job("e");

        backend.terminate(job);
        backend.suspend(job);

        awaitState(job, JobState.SUCCESS);
        assertThat(snapshot().names()).isEmpty();
        assertThat(trash()).isEmpty();
    }
}
