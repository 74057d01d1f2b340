package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.simulator.InstanceEnd;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A guest that powers itself off, through the backend: suspended, halted as by a suspend, started again. */
class GuestPowerOffLifecycleTest extends BackendTestbed {

    @Test
    void aGuestPowerOffSuspendsTheJobHaltsTheVmAndAStartRunsItAgain() {
        Job job = job("p");
        backend.start(job);
        awaitState(job, JobState.RUNNING);
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("RerunOnFailure");

        simulator.end(vmName(job), InstanceEnd.POWER_OFF);

        awaitState(job, JobState.SUSPENDED);
        await().until(() -> "powered-off".equals(intentOf(job)));
        await().until(() -> sshService(job) == null);
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("Halted");
        awaitSimulatorIdle();
        assertThat(vmi(vmName(job))).isNull();
        assertThat(updates.of(job.id()).get(updates.of(job.id()).size() - 1).status())
                .startsWith("The guest powered itself off");
        assertNoStateRepeated(job);

        backend.unsuspend(job);

        awaitState(job, JobState.RUNNING);
        assertThat(intentOf(job)).isEqualTo("running");
        assertThat((String) vmOf(job).get("spec", "runStrategy")).isEqualTo("RerunOnFailure");
        assertThat(sshService(job)).isNotNull();
        assertThat(updates.statesOf(job.id())).containsSubsequence(JobState.RUNNING, JobState.SUSPENDED,
                JobState.RUNNING).doesNotContain(JobState.FAILURE, JobState.SUCCESS);
        assertNoStateRepeated(job);
    }

    @Test
    void anOutOfMemoryKillRestartsTheJobsVmAndSaysSo() {
        Job job = job("o");
        backend.start(job);
        awaitState(job, JobState.RUNNING);

        simulator.end(vmName(job), InstanceEnd.OOM_KILL);

        await().until(() -> updates.hasMessage(job.id(), "ran out of memory and was killed (OOMKilled); it is "
                + "restarting."));
        await().until(() -> vmi(vmName(job)) != null && updates.lastStateOf(job.id()) == JobState.RUNNING
                && "The guest is booting.".equals(updates.of(job.id()).get(updates.of(job.id()).size() - 1).status()));
        assertThat(intentOf(job)).isEqualTo("running");
        assertThat(updates.statesOf(job.id())).doesNotContain(JobState.SUSPENDED, JobState.FAILURE);
        assertNoStateRepeated(job);
    }
}
