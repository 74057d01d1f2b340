package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the store records of each job's last request, and the rule that a terminated job stays terminated. */
class JobRequestsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private H2JobStore store;

    @BeforeEach
    void open() {
        store = H2JobStore.open(dir.resolve("jobs"), CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void save(String... ids) {
        for (String id : ids) {
            store.save(new JobSubmission(id, "{\"id\":\"" + id + "\"}", JobState.IN_QUEUE));
        }
    }

    private JobIntent intent(String id) {
        return store.intent(id).orElseThrow();
    }

    @Test
    void aNewJobAsksForAStartNotCarriedOutYet() {
        save("a");

        assertThat(intent("a")).isEqualTo(new JobIntent("a", JobOperation.START, 1, 0, false));
        assertThat(intent("a").pending()).isTrue();
        assertThat(store.intent("nope")).isEmpty();
    }

    @Test
    void eachRequestIsANewRevisionAndCarryingOutAnOlderOneLeavesTheNewerPending() {
        save("a");
        store.recordRequests(List.of("a"), JobOperation.SUSPEND);
        store.markCarriedOut("a", 1, true);

        assertThat(intent("a")).isEqualTo(new JobIntent("a", JobOperation.SUSPEND, 2, 1, true));
        assertThat(intent("a").pending()).isTrue();

        store.markCarriedOut("a", 2, false);
        store.markCarriedOut("a", 1, false);
        assertThat(intent("a")).as("never goes back, and a start stays known")
                .isEqualTo(new JobIntent("a", JobOperation.SUSPEND, 2, 2, true));
    }

    @Test
    void anUnsuspendOfAJobThatWasNeverSuspendedCarriesOnWithItsStart() {
        save("a", "b");
        store.recordRequests(List.of("a"), JobOperation.UNSUSPEND);
        store.recordRequests(List.of("b"), JobOperation.SUSPEND);
        store.recordRequests(List.of("b"), JobOperation.UNSUSPEND);

        assertThat(intent("a").operation()).isEqualTo(JobOperation.START);
        assertThat(intent("b").operation()).isEqualTo(JobOperation.UNSUSPEND);
    }

    @Test
    void aTerminatedJobRefusesSuspendUnsuspendAndCreateAndNothingOfTheRequestIsRecorded() {
        save("a", "b");
        store.recordRequests(List.of("a"), JobOperation.TERMINATE);

        for (JobOperation operation : List.of(JobOperation.SUSPEND, JobOperation.UNSUSPEND, JobOperation.START)) {
            assertThatThrownBy(() -> store.recordRequests(List.of("b", "a"), operation))
                    .isInstanceOfSatisfying(JobRefusedException.class, e -> assertThat(e.refusals())
                            .containsExactly(new JobRefusedException.Refusal("a", "job a was terminated")));
        }
        assertThatThrownBy(() -> store.saveAll(List.of(new JobSubmission("c", "{}", JobState.IN_QUEUE),
                new JobSubmission("a", "{\"id\":\"a\"}", JobState.IN_QUEUE))))
                .isInstanceOf(JobRefusedException.class);

        assertThat(intent("b")).isEqualTo(new JobIntent("b", JobOperation.START, 1, 0, false));
        assertThat(intent("a")).isEqualTo(new JobIntent("a", JobOperation.TERMINATE, 2, 0, false));
        assertThat(store.find("c")).isEmpty();
    }

    @Test
    void terminatingATerminatedJobAsksNothingNew() {
        save("a");
        store.recordRequests(List.of("a"), JobOperation.TERMINATE);
        store.markCarriedOut("a", 2, false);

        store.recordRequests(List.of("a", "a"), JobOperation.TERMINATE);

        assertThat(intent("a")).isEqualTo(new JobIntent("a", JobOperation.TERMINATE, 2, 2, false));
    }

    @Test
    void aJobInAFinalStateDoesNotRunAgainButMayBeTerminated() {
        save("a");
        store.append("a", JobUpdate.state(JobState.FAILURE, "broken", 5));

        assertThatThrownBy(() -> store.recordRequests(List.of("a"), JobOperation.UNSUSPEND))
                .isInstanceOfSatisfying(JobRefusedException.class, e -> assertThat(e.refusals())
                        .containsExactly(new JobRefusedException.Refusal("a", "job a has ended (FAILURE)")));
        store.recordRequests(List.of("a"), JobOperation.TERMINATE);
        assertThat(intent("a").operation()).isEqualTo(JobOperation.TERMINATE);
    }

    @Test
    void creatingARecordedJobAgainAsksForItsLastRequestAgain() {
        save("a");
        store.recordRequests(List.of("a"), JobOperation.SUSPEND);
        store.markCarriedOut("a", 2, true);

        save("a");

        assertThat(intent("a")).isEqualTo(new JobIntent("a", JobOperation.SUSPEND, 3, 2, true));
    }

    @Test
    void anUnknownJobIsNotRecorded() {
        save("a");
        assertThatThrownBy(() -> store.recordRequests(List.of("a", "x"), JobOperation.SUSPEND))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
        assertThat(intent("a").revision()).isEqualTo(1);
    }

    @Test
    void theJobsToCarryOnArePendingOnesAndThoseNeitherTerminatedNorEnded() {
        save("pending", "running", "terminated", "failed", "terminating", "suspended");
        store.markCarriedOut("running", 1, true);
        store.recordRequests(List.of("terminated", "terminating"), JobOperation.TERMINATE);
        store.markCarriedOut("terminated", 2, true);
        store.markCarriedOut("failed", 1, true);
        store.append("failed", JobUpdate.state(JobState.FAILURE, "broken", 5));
        store.recordRequests(List.of("suspended"), JobOperation.SUSPEND);
        store.markCarriedOut("suspended", 2, true);

        assertThat(store.jobsToCarryOn())
                .containsExactlyInAnyOrder("pending", "running", "terminating", "suspended");
    }

    @Test
    void jobsOfAVersion1DatabaseGetTheRequestTheirStateTellsCarriedOut() throws Exception {
        store.close();
        Path old = dir.resolve("old");
        String url = "jdbc:h2:file:" + old.toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE schema_version (version INT NOT NULL)");
            statement.execute("INSERT INTO schema_version VALUES (1)");
            statement.execute("CREATE TABLE jobs (id VARCHAR(255) PRIMARY KEY, job_json CHARACTER LARGE OBJECT NOT NULL,"
                    + " state VARCHAR(32) NOT NULL, status_message CHARACTER LARGE OBJECT, created_at BIGINT NOT NULL,"
                    + " updated_at BIGINT NOT NULL)");
            statement.execute("CREATE TABLE job_updates (job_id VARCHAR(255) NOT NULL, sequence_no BIGINT NOT NULL,"
                    + " state VARCHAR(32), status_message CHARACTER LARGE OBJECT, happened_at BIGINT NOT NULL,"
                    + " received_at BIGINT NOT NULL, PRIMARY KEY (job_id, sequence_no))");
            statement.execute("INSERT INTO jobs VALUES ('r', '{}', 'RUNNING', NULL, 1, 1), ('s', '{}', 'SUSPENDED', NULL, 2, 2),"
                    + " ('t', '{}', 'SUCCESS', NULL, 3, 3), ('f', '{}', 'FAILURE', NULL, 4, 4)");
        }

        store = H2JobStore.open(old, CLOCK);

        assertThat(intent("r")).isEqualTo(new JobIntent("r", JobOperation.START, 1, 1, true));
        assertThat(intent("s")).isEqualTo(new JobIntent("s", JobOperation.SUSPEND, 1, 1, true));
        assertThat(intent("t")).isEqualTo(new JobIntent("t", JobOperation.TERMINATE, 1, 1, true));
        assertThat(intent("f")).isEqualTo(new JobIntent("f", JobOperation.START, 1, 1, true));
        assertThat(store.jobsToCarryOn()).containsExactly("r", "s");
        save("n");
        assertThat(intent("n").pending()).isTrue();
    }
}
