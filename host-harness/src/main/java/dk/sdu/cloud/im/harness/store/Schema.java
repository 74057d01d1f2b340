package dk.sdu.cloud.im.harness.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables, as a list of versions. Opening a database brings it to the newest version; a
 * database from a newer harness is refused rather than misread.
 *
 * <p>H2 commits each DDL statement on its own, so a version is not atomic: every statement is written to be
 * safe to run again ({@code IF NOT EXISTS}), and the version number is written last. A harness that died
 * half-way through a migration redoes it at the next open.
 */
final class Schema {
    /** Version N of the schema is reached by running the statements at index N-1. Only ever append. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    CREATE TABLE IF NOT EXISTS jobs (
                        id             VARCHAR(255) PRIMARY KEY,
                        job_json       CHARACTER LARGE OBJECT NOT NULL,
                        state          VARCHAR(32) NOT NULL,
                        status_message CHARACTER LARGE OBJECT,
                        created_at     BIGINT NOT NULL,
                        updated_at     BIGINT NOT NULL
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS job_updates (
                        job_id         VARCHAR(255) NOT NULL,
                        sequence_no    BIGINT NOT NULL,
                        state          VARCHAR(32),
                        status_message CHARACTER LARGE OBJECT,
                        happened_at    BIGINT NOT NULL,
                        received_at    BIGINT NOT NULL,
                        PRIMARY KEY (job_id, sequence_no)
                    )""",
                    "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state)"
            ),
            // 2: each job's last accepted request and whether its backend carried it out (the provider API
            // answers before the backend works). Version 1 carried a request out before it answered: a job it
            // recorded gets the request its state tells, carried out.
            List.of(
                    "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS requested VARCHAR(16)",
                    "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS request_revision BIGINT",
                    "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS carried_out_revision BIGINT",
                    "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS started BOOLEAN",
                    """
                    UPDATE jobs SET
                        requested = CASE state WHEN 'SUSPENDED' THEN 'SUSPEND' WHEN 'SUCCESS' THEN 'TERMINATE'
                                               WHEN 'EXPIRED' THEN 'TERMINATE' ELSE 'START' END,
                        request_revision = 1, carried_out_revision = 1, started = TRUE
                    WHERE requested IS NULL""",
                    "ALTER TABLE jobs ALTER COLUMN requested SET NOT NULL",
                    "ALTER TABLE jobs ALTER COLUMN request_revision SET NOT NULL",
                    "ALTER TABLE jobs ALTER COLUMN carried_out_revision SET NOT NULL",
                    "ALTER TABLE jobs ALTER COLUMN started SET NOT NULL"
            ),
            // 3: the number of the last journal record applied, committed with what the record did (one row;
            // H2JobStore, WriteAheadJournal). A database from before the journal has applied none.
            List.of(
                    "CREATE TABLE IF NOT EXISTS journal_position (applied_sequence BIGINT NOT NULL)",
                    """
                    INSERT INTO journal_position (applied_sequence)
                    SELECT 0 FROM (VALUES (1)) WHERE NOT EXISTS (SELECT 1 FROM journal_position)"""
            ),
            // 4: the store is the outbox of job updates to UCloud/Core. Each update's delivery state
            // (DeliveryState) and the number of the journal record that recorded it (write_sequence: the order
            // updates arrived in across jobs, which the outbox delivers them in). Updates recorded before this
            // version predate delivery to Core: they count as delivered, their write number is 0.
            List.of(
                    "ALTER TABLE job_updates ADD COLUMN IF NOT EXISTS delivery VARCHAR(16)",
                    "ALTER TABLE job_updates ADD COLUMN IF NOT EXISTS write_sequence BIGINT",
                    "UPDATE job_updates SET delivery = 'DELIVERED', write_sequence = 0 WHERE delivery IS NULL",
                    "ALTER TABLE job_updates ALTER COLUMN delivery SET NOT NULL",
                    "ALTER TABLE job_updates ALTER COLUMN write_sequence SET NOT NULL",
                    "CREATE INDEX IF NOT EXISTS job_updates_by_delivery ON job_updates (delivery, write_sequence)"
            ),
            // 5 (after the outbox's 4): the drives the IM learnt from UCloud/Core (H2DriveTable), looked up by id
            // and by providerGeneratedId. A cache: written without the journal, refilled from Core when lost.
            List.of(
                    """
                    CREATE TABLE IF NOT EXISTS drives (
                        drive_id              VARCHAR(255) PRIMARY KEY,
                        provider_generated_id VARCHAR(1024),
                        created_by            VARCHAR(1024) NOT NULL,
                        project               VARCHAR(1024),
                        product_id            VARCHAR(255) NOT NULL,
                        product_category      VARCHAR(255) NOT NULL,
                        product_provider      VARCHAR(255) NOT NULL,
                        fetched_at            BIGINT NOT NULL
                    )""",
                    "CREATE INDEX IF NOT EXISTS drives_by_provider_generated_id ON drives (provider_generated_id)"
            ),
            // 6: job labels on their way to Core (JobLabelRows), an outbox beside the updates': id is the number
            // of the journal record that wrote the row, which is also the order they are delivered in.
            List.of(
                    """
                    CREATE TABLE IF NOT EXISTS job_labels (
                        id          BIGINT PRIMARY KEY,
                        job_id      VARCHAR(255) NOT NULL,
                        labels_json CHARACTER LARGE OBJECT NOT NULL,
                        received_at BIGINT NOT NULL,
                        delivery    VARCHAR(16) NOT NULL
                    )""",
                    "CREATE INDEX IF NOT EXISTS job_labels_by_delivery ON job_labels (delivery, id)"
            )
    );

    static final int CURRENT_VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /** Creates or migrates the schema; returns the version the database had before. */
    static int migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)");
        }
        int found = readVersion(connection);
        if (found > CURRENT_VERSION) {
            throw new JobStoreException("the job store has schema version " + found
                    + ", newer than this harness knows (" + CURRENT_VERSION + "); use a newer harness", null);
        }
        for (int version = found + 1; version <= CURRENT_VERSION; version++) {
            applyVersion(connection, version);
        }
        return found;
    }

    private static void applyVersion(Connection connection, int version) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : MIGRATIONS.get(version - 1)) {
                statement.execute(sql);
            }
            statement.execute("DELETE FROM schema_version");
            statement.execute("INSERT INTO schema_version (version) VALUES (" + version + ")");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static int readVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rows.next();
            return rows.getInt(1); // 0 when the table is empty (SQL NULL)
        }
    }
}
