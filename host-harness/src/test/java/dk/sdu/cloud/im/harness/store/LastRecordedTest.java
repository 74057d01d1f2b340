package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.services.InMemoryJobUpdates;
import dk.sdu.cloud.im.spi.host.JobUpdates;
import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JobUpdates#lastRecorded}: what a restarted backend compares the cluster with. */
class LastRecordedTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    @TempDir
    Path temp;

    @Test
    void theStoreAnswersWithTheJobsStateItsLastMessageAndItsLastUpdatesTime() {
        try (H2JobStore store = H2JobStore.open(temp.resolve("jobs"), CLOCK)) {
            store.save(new JobSubmission("7", "{\"id\":\"7\"}", JobState.IN_QUEUE));
            assertThat(store.lastRecorded("7")).contains(new JobUpdate(JobState.IN_QUEUE, null, 1_000));

            store.send("7", JobUpdate.message("Downloading disk image: 50%", 2_000));
            store.send("7", JobUpdate.state(JobState.RUNNING, null, 3_000));
            assertThat(store.lastRecorded("7")).contains(new JobUpdate(JobState.RUNNING, "Downloading disk image: 50%", 3_000));

            assertThat(store.lastRecorded("unknown")).isEmpty();
            store.send("orphan", JobUpdate.state(JobState.SUSPENDED, "halted", 4_000));
            store.send("orphan", JobUpdate.message("still halted", 5_000));
            assertThat(store.lastRecorded("orphan")).contains(new JobUpdate(JobState.SUSPENDED, "still halted", 5_000));
        }
    }

    @Test
    void theMetricsPassTheQuestionOn() {
        try (H2JobStore store = H2JobStore.open(temp.resolve("jobs"), CLOCK);
             HarnessMetrics metrics = new HarnessMetrics(store)) {
            JobUpdates counted = metrics.countingUpdates(store);
            counted.send("8", JobUpdate.state(JobState.RUNNING, "up", 9_000));
            assertThat(counted.lastRecorded("8")).isEqualTo(store.lastRecorded("8")).isPresent();
        }
    }

    @Test
    void inMemoryUpdatesAnswerFromWhatWasSent() {
        InMemoryJobUpdates updates = new InMemoryJobUpdates();
        assertThat(updates.lastRecorded("9")).isEqualTo(Optional.empty());
        updates.send("9", JobUpdate.state(JobState.RUNNING, "up", 1));
        updates.send("9", JobUpdate.state(JobState.SUSPENDED, null, 2));
        assertThat(updates.lastRecorded("9")).contains(new JobUpdate(JobState.SUSPENDED, "up", 2));
    }
}
