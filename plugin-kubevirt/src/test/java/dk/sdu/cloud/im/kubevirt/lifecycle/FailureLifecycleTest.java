package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes wrong, how the user learns it, and how the next start puts it right. */
class FailureLifecycleTest extends BackendTestbed {

    private static final String FAILURE = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"code\":500,\"message\":\"etcdserver: request timed out\"}";

    @Test
    void aFailedPreparationIsReportedAndTheNextStartRetriesIt() {
        Job job = job("a");
        images.failNext(IMAGE_PATH, 500, 1);

        backend.start(job);

        String expected = "Preparing the disk failed: the image could not be downloaded (HTTP error). It is tried "
                + "again when the job is started again.";
        await().until(() -> updates.hasMessage(job.id(), expected));
        assertThat(updates.lastStateOf(job.id())).as(updatesOf(job)).isEqualTo(JobState.IN_QUEUE);
        assertThat(intentOf(job)).isEqualTo("starting");
        assertThat(disk(job)).doesNotExist();

        backend.start(job);

        awaitState(job, JobState.RUNNING);
        assertThat(updates.statesOf(job.id())).containsExactly(JobState.IN_QUEUE, JobState.RUNNING);
        assertThat(images.requests(IMAGE_PATH)).isEqualTo(2);
    }

    @Test
    void anImageRedirectedToTheMetadataServiceIsRefusedAndTheStatusSaysOnlyWhy() {
        images.redirect("/images/latest.qcow2", "http://169.254.169.254/latest/meta-data/");
        Job job = job("r", edit -> edit.image = images.url("/images/latest.qcow2").toString());

        backend.start(job);

        await().until(() -> updates.hasMessage(job.id(), "Preparing the disk failed: the image address is not "
                + "allowed (link-local). It is tried again when the job is started again."));
        assertThat(updates.lastStateOf(job.id())).as(updatesOf(job)).isEqualTo(JobState.IN_QUEUE);
        assertThat(disk(job)).doesNotExist();
    }

    @Test
    void aFailedSwitchToRunningIsReportedAndTheNextStartFinishesIt() {
        Job job = job("b");
        backend.start(job);
        awaitState(job, JobState.IN_QUEUE);
        // The job's own Service exists by now; the next Service made is the SSH one, in the switch.
        embedded.server().expect().post().withPath("/api/v1/namespaces/" + namespace + "/services")
                .andReturn(500, FAILURE).once();

        await().until(() -> updates.hasMessage(job.id(), "Starting the virtual machine failed: Could not create "
                + "Service j-" + job.id() + "-ssh in namespace " + namespace + ": etcdserver: request timed out"));
        assertThat(intentOf(job)).isEqualTo("starting");
        assertThat(updates.lastStateOf(job.id())).isEqualTo(JobState.IN_QUEUE);

        backend.start(job);

        awaitState(job, JobState.RUNNING);
        assertThat(sshService(job)).isNotNull();
        assertThat(images.requests(IMAGE_PATH)).isEqualTo(1);
    }

    @Test
    void anUnschedulableVmIsAMessageUntilItRuns() {
        Job job = job("c");
        simulator.failNextStart(vmName(job), "ErrorUnschedulable");

        backend.start(job);

        await().until(() -> updates.hasMessage(job.id(), "The virtual machine cannot be scheduled yet: 0/1 nodes are "
                + "available: 1 Insufficient memory. It starts as soon as the cluster has room."));
        assertThat(updates.lastStateOf(job.id())).isEqualTo(JobState.IN_QUEUE);
        simulator.recover(vmName(job));
        awaitState(job, JobState.RUNNING);
    }

    @Test
    void aDataVolumeErrorFailsTheJob() {
        Job job = job("d");
        simulator.failNextStart(vmName(job), "DataVolumeError");

        backend.start(job);

        awaitState(job, JobState.FAILURE);
        assertThat(updates.of(job.id())).filteredOn(u -> u.state() == JobState.FAILURE).singleElement()
                .satisfies(u -> assertThat(u.status()).isEqualTo("The virtual machine's disk could not be imported: "
                        + "DataVolume import failed: unable to download the image."));
    }

    @Test
    void aCrashLoopIsAMessageWithItsBackOff() {
        Job job = job("e");
        backend.start(job);
        awaitState(job, JobState.RUNNING);

        simulator.crashLoop(vmName(job));

        await().until(() -> updates.hasMessage(job.id(), "The virtual machine keeps failing to start (3 failed attempts"));
        assertThat(updates.statesOf(job.id())).doesNotContain(JobState.FAILURE);
        simulator.recover(vmName(job));
        awaitState(job, JobState.RUNNING);
        assertNoStateRepeated(job);
    }

    @Test
    void aJobFolderThatIsALinkIsRefusedBeforeAnythingIsCreated() throws Exception {
        Job job = job("f");
        Files.createDirectories(jobFolder(job));
        Files.createSymbolicLink(jobFolder(job).resolve("config"), root);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.start(job))
                .hasMessageContaining("is a symbolic link");

        assertThat(snapshot().names()).isEmpty();
        assertThat(root.resolve("mounts.yml")).doesNotExist();
    }
}
