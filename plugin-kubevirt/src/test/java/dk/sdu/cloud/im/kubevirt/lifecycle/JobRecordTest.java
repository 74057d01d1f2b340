package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.testing.ExampleJobs;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobStatus;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRecordTest {

    @Test
    void aJobComesBackAsItWasPlannedFrom() {
        Job job = ExampleJobs.vmJob();

        Job back = JobRecord.decode(JobRecord.encode(job));

        assertThat(back.id()).isEqualTo(job.id());
        assertThat(back.owner()).isEqualTo(job.owner());
        assertThat(back.specification()).isEqualTo(job.specification());
        assertThat(back.status().resolvedApplication()).isEqualTo(job.status().resolvedApplication());
        assertThat(JobRecord.encode(back)).isEqualTo(JobRecord.encode(job));
    }

    @Test
    void whatChangesWhileAJobRunsIsLeftOut() {
        Job job = ExampleJobs.vmJob();
        Job later = new Job(job.id(), job.createdAt(), job.owner(), job.specification(),
                new JobStatus(JobState.RUNNING, 17L, 99L, job.status().resolvedApplication(), true),
                List.of(JobUpdate.state(JobState.RUNNING, "up", 5)));

        assertThat(JobRecord.encode(later)).isEqualTo(JobRecord.encode(job)).doesNotContain("RUNNING", "\"up\"").contains("\"updates\":[]");
    }

    @Test
    void somethingElseIsRefusedClearly() {
        assertThatThrownBy(() -> JobRecord.decode("[1, 2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a job");
        assertThatThrownBy(() -> JobRecord.decode("{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no id");
    }
}
