package dk.sdu.cloud.im.harness.services;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryJobUpdatesTest {

    @Test
    void updatesAreKeptPerJobInOrder() {
        InMemoryJobUpdates updates = new InMemoryJobUpdates();
        updates.send("1", JobUpdate.message("downloading image", 10));
        updates.send("2", JobUpdate.state(JobState.RUNNING, null, 11));
        updates.send("1", JobUpdate.state(JobState.RUNNING, "started", 12));

        assertThat(updates.updatesOf("1")).extracting(JobUpdate::timestamp).containsExactly(10L, 12L);
        assertThat(updates.updatesOf("2")).extracting(JobUpdate::state).containsExactly(JobState.RUNNING);
        assertThat(updates.updatesOf("3")).isEmpty();
    }
}
