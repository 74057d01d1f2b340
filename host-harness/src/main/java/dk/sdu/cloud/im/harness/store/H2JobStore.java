package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * A {@link JobStore} in an embedded H2 database file, through plain JDBC.
 *
 * <p>Writes are serialised by one lock, which keeps each job's update sequence gapless and in arrival
 * order without relying on the database's isolation rules; reads go straight to the database. Every
 * write is committed before the call returns and H2 writes the commit to the file at once
 * ({@code WRITE_DELAY=0}), but a harness killed with SIGKILL can still lose its last acknowledged writes:
 * once H2 reuses file space, a commit written into reused space leaves the file header pointing at the
 * previous commit, and recovery does not find the newest one (a known H2 defect; docs/host.md, "Durability
 * of the job store", and {@code scripts/store-kill-probe}). A close loses nothing. Only one process can open
 * a store file at a time (H2's file lock).
 */
public final class H2JobStore implements JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(H2JobStore.class);
    private static final int MAX_CONNECTIONS = 8;

    private final JdbcConnectionPool pool;
    private final Clock clock;
    private final JsonMapper json;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    private H2JobStore(JdbcConnectionPool pool, Clock clock) {
        this.pool = requireNonNull(pool, "pool is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.json = JsonMapper.builder().build();
    }

    /**
     * Opens the store kept in {@code file} (H2 adds {@code .mv.db} to this name), creating it and its
     * folder when missing, and brings its schema up to date.
     *
     * @param file  the database file's path without H2's suffix, e.g. {@code state/jobs}
     * @param clock the clock for the store's own timestamps
     * @throws JobStoreException when the database cannot be opened or migrated
     */
    public static H2JobStore open(Path file, Clock clock) {
        requireNonNull(file, "file is null");
        requireNonNull(clock, "clock is null");
        Path absolute = file.toAbsolutePath().normalize();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (java.io.IOException e) {
            throw new JobStoreException("cannot create the folder of the job store " + absolute, e);
        }
        // DB_CLOSE_ON_EXIT=FALSE: the host closes the store itself, after the backends have stopped sending.
        String url = "jdbc:h2:file:" + absolute + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        try (Connection connection = pool.getConnection()) {
            int before = Schema.migrate(connection);
            if (before != Schema.CURRENT_VERSION) {
                LOG.info("Job store {}: schema version {} -> {}", absolute, before, Schema.CURRENT_VERSION);
            }
        } catch (SQLException e) {
            pool.dispose();
            throw new JobStoreException("cannot open the job store " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return new H2JobStore(pool, clock);
    }

    @Override
    public List<SaveOutcome> saveAll(List<JobSubmission> jobs) {
        requireNonNull(jobs, "jobs is null");
        List<JobSubmission> copy = List.copyOf(jobs);
        return write(connection -> {
            List<SaveOutcome> outcomes = new ArrayList<>();
            List<String> conflicts = new ArrayList<>();
            Map<String, JobSubmission> accepted = new LinkedHashMap<>();
            List<String> repeated = new ArrayList<>();
            for (JobSubmission job : copy) {
                boolean newInThisSave = accepted.containsKey(job.id());
                Optional<String> recorded = Optional.ofNullable(accepted.get(job.id()))
                        .map(JobSubmission::json)
                        .or(() -> findJson(connection, job.id()));
                if (recorded.isEmpty()) {
                    accepted.put(job.id(), job);
                    outcomes.add(SaveOutcome.CREATED);
                } else if (sameJson(recorded.get(), job.json())) {
                    outcomes.add(SaveOutcome.UNCHANGED);
                    if (!newInThisSave) {
                        repeated.add(job.id());
                    }
                } else {
                    conflicts.add(job.id());
                }
            }
            if (!conflicts.isEmpty()) {
                throw new JobConflictException(conflicts);
            }
            // A create of a recorded job asks its backend again, unless the job has ended.
            applyRequests(connection, repeated, JobOperation.START);
            long now = clock.millis();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO jobs (id, job_json, state, status_message, created_at, updated_at, requested,"
                            + " request_revision, carried_out_revision, started)"
                            + " VALUES (?, ?, ?, NULL, ?, ?, ?, 1, 0, FALSE)")) {
                for (JobSubmission job : accepted.values()) {
                    insert.setString(1, job.id());
                    insert.setString(2, job.json());
                    insert.setString(3, job.initialState().name());
                    insert.setLong(4, now);
                    insert.setLong(5, now);
                    insert.setString(6, JobOperation.START.name());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return List.copyOf(outcomes);
        });
    }

    @Override
    public void recordRequests(List<String> jobIds, JobOperation operation) {
        requireNonNull(jobIds, "jobIds is null");
        requireNonNull(operation, "operation is null");
        List<String> copy = List.copyOf(jobIds);
        write(connection -> {
            applyRequests(connection, copy, operation);
            return null;
        });
    }

    /** Applies a request to recorded jobs, or throws (and the caller's transaction records nothing). */
    private static void applyRequests(Connection connection, List<String> jobIds, JobOperation operation)
            throws SQLException {
        Map<String, JobOperation> changes = new LinkedHashMap<>();
        List<JobRefusedException.Refusal> refusals = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String jobId : jobIds) {
            Optional<RequestRow> row = requestRow(connection, jobId);
            if (row.isEmpty()) {
                unknown.add(jobId);
                continue;
            }
            // The same job twice in one request: the second sees what the first asked.
            JobOperation requested = changes.getOrDefault(jobId, row.get().requested());
            RequestRules.Outcome outcome = RequestRules.apply(jobId, requested, row.get().state(), operation);
            if (outcome.refused()) {
                refusals.add(new JobRefusedException.Refusal(jobId, outcome.refusal()));
            } else {
                outcome.operation().ifPresent(next -> changes.put(jobId, next));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("jobs not recorded: " + String.join(", ", unknown));
        }
        if (!refusals.isEmpty()) {
            throw new JobRefusedException(refusals);
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jobs SET requested = ?, request_revision = request_revision + 1 WHERE id = ?")) {
            for (Map.Entry<String, JobOperation> change : changes.entrySet()) {
                update.setString(1, change.getValue().name());
                update.setString(2, change.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static Optional<RequestRow> requestRow(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT requested, state FROM jobs WHERE id = ?")) {
            query.setString(1, jobId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next()
                        ? Optional.of(new RequestRow(JobOperation.valueOf(rows.getString(1)),
                        JobState.valueOf(rows.getString(2))))
                        : Optional.empty();
            }
        }
    }

    private record RequestRow(JobOperation requested, JobState state) {
    }

    @Override
    public Optional<JobIntent> intent(String jobId) {
        requireNonNull(jobId, "jobId is null");
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT requested, request_revision, carried_out_revision, started FROM jobs WHERE id = ?")) {
                query.setString(1, jobId);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new JobIntent(jobId, JobOperation.valueOf(rows.getString(1)), rows.getLong(2),
                            rows.getLong(3), rows.getBoolean(4)));
                }
            }
        });
    }

    @Override
    public void markCarriedOut(String jobId, long revision, boolean started) {
        requireNonNull(jobId, "jobId is null");
        write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE jobs SET carried_out_revision = GREATEST(carried_out_revision, ?),"
                            + " started = (started OR ?) WHERE id = ?")) {
                update.setLong(1, revision);
                update.setBoolean(2, started);
                update.setString(3, jobId);
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<String> jobsToCarryOn() {
        String finalStates = java.util.Arrays.stream(JobState.values()).filter(JobState::isFinal)
                .map(state -> "'" + state.name() + "'").collect(java.util.stream.Collectors.joining(", "));
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id FROM jobs WHERE carried_out_revision < request_revision"
                            + " OR (requested <> 'TERMINATE' AND state NOT IN (" + finalStates + "))"
                            + " ORDER BY created_at, id");
                 ResultSet rows = query.executeQuery()) {
                List<String> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
                return List.copyOf(result);
            }
        });
    }

    @Override
    public Optional<StoredJob> find(String jobId) {
        requireNonNull(jobId, "jobId is null");
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, job_json, state, status_message, created_at, updated_at FROM jobs WHERE id = ?")) {
                query.setString(1, jobId);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new StoredJob(rows.getString(1), rows.getString(2),
                            JobState.valueOf(rows.getString(3)), rows.getString(4), rows.getLong(5),
                            rows.getLong(6)));
                }
            }
        });
    }

    @Override
    public List<JobSummary> list() {
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, state, status_message, created_at, updated_at FROM jobs ORDER BY created_at, id");
                 ResultSet rows = query.executeQuery()) {
                List<JobSummary> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(new JobSummary(rows.getString(1), JobState.valueOf(rows.getString(2)),
                            rows.getString(3), rows.getLong(4), rows.getLong(5)));
                }
                return List.copyOf(result);
            }
        });
    }

    @Override
    public Map<JobState, Long> countByState() {
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM jobs GROUP BY state");
                 ResultSet rows = query.executeQuery()) {
                Map<JobState, Long> result = new EnumMap<>(JobState.class);
                while (rows.next()) {
                    result.put(JobState.valueOf(rows.getString(1)), rows.getLong(2));
                }
                return result;
            }
        });
    }

    @Override
    public RecordedUpdate append(String jobId, JobUpdate update) {
        JobIds.check(jobId);
        requireNonNull(update, "update is null");
        return write(connection -> {
            long sequence;
            try (PreparedStatement next = connection.prepareStatement(
                    "SELECT COALESCE(MAX(sequence_no), 0) + 1 FROM job_updates WHERE job_id = ?")) {
                next.setString(1, jobId);
                try (ResultSet rows = next.executeQuery()) {
                    rows.next();
                    sequence = rows.getLong(1);
                }
            }
            long now = clock.millis();
            String state = update.state() == null ? null : update.state().name();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO job_updates (job_id, sequence_no, state, status_message, happened_at, received_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, jobId);
                insert.setLong(2, sequence);
                insert.setString(3, state);
                insert.setString(4, update.status());
                insert.setLong(5, update.timestamp());
                insert.setLong(6, now);
                insert.executeUpdate();
            }
            int changed;
            try (PreparedStatement change = connection.prepareStatement(
                    "UPDATE jobs SET state = COALESCE(?, state), status_message = COALESCE(?, status_message),"
                            + " updated_at = ? WHERE id = ?")) {
                change.setString(1, state);
                change.setString(2, update.status());
                change.setLong(3, now);
                change.setString(4, jobId);
                changed = change.executeUpdate();
            }
            if (changed == 0) {
                LOG.warn("Update #{} for job {}, which the store does not know, recorded anyway: {}",
                        sequence, jobId, update);
            }
            return new RecordedUpdate(jobId, sequence, update.state(), update.status(), update.timestamp(), now);
        });
    }

    @Override
    public List<RecordedUpdate> updates(String jobId) {
        requireNonNull(jobId, "jobId is null");
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT sequence_no, state, status_message, happened_at, received_at FROM job_updates"
                            + " WHERE job_id = ? ORDER BY sequence_no")) {
                query.setString(1, jobId);
                try (ResultSet rows = query.executeQuery()) {
                    List<RecordedUpdate> result = new ArrayList<>();
                    while (rows.next()) {
                        String state = rows.getString(2);
                        result.add(new RecordedUpdate(jobId, rows.getLong(1),
                                state == null ? null : JobState.valueOf(state), rows.getString(3),
                                rows.getLong(4), rows.getLong(5)));
                    }
                    return List.copyOf(result);
                }
            }
        });
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (!closed) {
                closed = true;
                // Connections still lent to readers are closed by H2 as the database shuts down.
                pool.dispose();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private boolean sameJson(String a, String b) {
        try {
            JsonNode left = json.readTree(a);
            JsonNode right = json.readTree(b);
            return left.equals(right);
        } catch (JacksonException e) {
            // Not JSON on one side: only the very same text is the same job.
            return a.equals(b);
        }
    }

    private Optional<String> findJson(Connection connection, String jobId) {
        try (PreparedStatement query = connection.prepareStatement("SELECT job_json FROM jobs WHERE id = ?")) {
            query.setString(1, jobId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new JobStoreException("cannot read job " + jobId + ": " + e.getMessage(), e);
        }
    }

    private <T> T read(SqlWork<T> work) {
        ensureOpen();
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new JobStoreException("job store read failed: " + e.getMessage(), e);
        }
    }

    private <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new JobStoreException("job store write failed: " + e.getMessage(), e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the job store is closed");
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
