package dk.sdu.cloud.im.harness.store;

import dk.sdu.cloud.im.spi.job.JobState;
import dk.sdu.cloud.im.spi.job.JobUpdate;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongFunction;

import static java.util.Objects.requireNonNull;

/**
 * A {@link JobStore} in an embedded H2 database file, through plain JDBC, behind a write-ahead journal.
 *
 * <p><b>Durability.</b> A write that returned (was acknowledged) survives a SIGKILL of the harness, a crash of
 * the JVM and, as long as the disk keeps what it reported flushed, a power loss of the machine. H2 alone does
 * not promise that: once it reuses file space, a commit written into reused space can leave the file's header
 * pointing at the commit before it, and H2's recovery then does not find the newest commit (docs/host.md,
 * "Durability of the job store"). So every write is first a record of a {@link WriteAheadJournal} next to the
 * database ({@code <file>.journal}): the write is worked out in a database transaction, its record (with the
 * clock reading the write used) appended to the journal and forced to disk, and only then is the transaction
 * committed, together with the record's sequence number ({@code journal_position}). A write that is refused
 * (a conflict, a refused request, an unknown job) rolls back before it is journaled: it leaves no trace.
 *
 * <p>Each update row carries its delivery state to Core and the number of the journal record that recorded it,
 * which orders {@link #pendingDeliveries} across jobs (numbers only grow: a journal emptied keeps counting).
 *
 * <p>Opening a store that was not closed (the journal says so) first replaces its database file by a fresh
 * copy of its content ({@link DatabaseRebuild}: H2 can lose such a file once it has opened it for writing).
 * It then applies the journal records whose sequence number is above the one the database holds, in order,
 * with the timestamps they carry: the same outcome, the same revisions and update sequence numbers as when
 * they were acknowledged. It then closes H2 cleanly (which writes a correct header), forces the file to disk,
 * reopens it and empties the journal. The same happens while the store runs, before a write that finds the
 * journal over {@link #JOURNAL_LIMIT_BYTES}, and at {@link #close} (which also marks the journal closed). A
 * journal record that is intact but cannot be read or applied stops the open with an error naming the file and
 * the record; a damaged tail (a write cut short) is dropped and logged.
 *
 * <p>Writes are serialised by one lock, so journal order is apply order and each job's update sequence stays
 * gapless and in arrival order without relying on the database's isolation rules. The lock belongs to this
 * store alone; it is held across the journal's disk flush. Reads go straight to the database; they wait only
 * while the database is closed and reopened. Only one store (in any process) can open the files at a time:
 * the journal's file lock, taken first.
 */
public final class H2JobStore implements JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(H2JobStore.class);
    private static final int MAX_CONNECTIONS = 8;
    /**
     * The journal's size from which the next write first makes the database durable and empties the journal.
     * Each time costs a clean close and reopen of H2 (tens of milliseconds, writes and reads wait); 8 MiB is
     * thousands of writes of real jobs, so that is rare, and replaying that much at an open after a kill takes
     * about a second.
     */
    static final long JOURNAL_LIMIT_BYTES = 8L * 1024 * 1024;
    /** Appended to the store's file name for the journal, e.g. {@code state/jobs.journal}. */
    static final String JOURNAL_SUFFIX = ".journal";

    private final Path file;
    private final String url;
    private final WriteAheadJournal journal;
    private final long journalLimit;
    private final Clock clock;
    private final JsonMapper json;
    private final StoreWriteCodec codec;
    /** Serialises writes, checkpoints and the close. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Read side: a read's use of {@link #pool}; write side: replacing it (with {@link #writeLock} held). */
    private final ReentrantReadWriteLock databaseLock = new ReentrantReadWriteLock();
    private JdbcConnectionPool pool;
    /** The sequence number of the next journal record; under {@link #writeLock}. */
    private long nextSequence;
    /** Why the store takes no more work, or null. */
    private volatile String failure;
    private volatile boolean closed;

    private H2JobStore(Path file, String url, JdbcConnectionPool pool, WriteAheadJournal journal, Clock clock,
                       long journalLimit) {
        this.file = requireNonNull(file, "file is null");
        this.url = requireNonNull(url, "url is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.journalLimit = journalLimit;
        this.json = JsonMapper.builder().build();
        this.codec = new StoreWriteCodec();
    }

    /**
     * Opens the store kept in {@code file} (H2 adds {@code .mv.db} to this name, the journal is
     * {@code <file>.journal}), creating it and its folder when missing, brings its schema up to date and applies
     * what its journal holds that the database does not.
     *
     * @param file  the database file's path without H2's suffix, e.g. {@code state/jobs}
     * @param clock the clock for the store's own timestamps
     * @throws JobStoreException when the database or the journal cannot be opened, migrated or applied
     */
    public static H2JobStore open(Path file, Clock clock) {
        return open(file, clock, JOURNAL_LIMIT_BYTES);
    }

    /** {@link #open(Path, Clock)} with another journal bound, for tests of the checkpoint. */
    static H2JobStore open(Path file, Clock clock, long journalLimit) {
        requireNonNull(file, "file is null");
        requireNonNull(clock, "clock is null");
        if (journalLimit < 1) {
            throw new IllegalArgumentException("journalLimit must be positive");
        }
        Path absolute = file.toAbsolutePath().normalize();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new JobStoreException("cannot create the folder of the job store " + absolute, e);
        }
        // The journal first: its file lock keeps a second harness away from both files.
        WriteAheadJournal journal = WriteAheadJournal.open(journalFile(absolute));
        JdbcConnectionPool pool = null;
        try {
            if (!journal.closedCleanly() && Files.exists(DatabaseRebuild.databaseFile(absolute))) {
                DatabaseRebuild.replaceWithCopy(absolute);
            }
            journal.markOpen();
            // DB_CLOSE_ON_EXIT=FALSE: the host closes the store itself, after the backends have stopped sending.
            String url = "jdbc:h2:file:" + absolute + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
            pool = openPool(url, absolute);
            H2JobStore store = new H2JobStore(absolute, url, pool, journal, clock, journalLimit);
            store.recover();
            return store;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.dispose();
            }
            journal.close();
            throw e;
        }
    }

    /** The journal of the store kept in {@code file} (the path given to {@link #open}). */
    static Path journalFile(Path file) {
        return file.resolveSibling(file.getFileName() + JOURNAL_SUFFIX);
    }

    private static JdbcConnectionPool openPool(String url, Path file) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        // The pool keeps this connection once it is closed, and with it the database open.
        try (Connection connection = pool.getConnection()) {
            int before = Schema.migrate(connection);
            if (before != Schema.CURRENT_VERSION) {
                LOG.info("Job store {}: schema version {} -> {}", file, before, Schema.CURRENT_VERSION);
            }
        } catch (SQLException e) {
            pool.dispose();
            throw new JobStoreException("cannot open the job store " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return pool;
    }

    /**
     * Applies the journal's records the database has not applied, then makes the database durable and empties
     * the journal.
     */
    private void recover() {
        long applied = read(H2JobStore::appliedSequence);
        long first = -1;
        int replayed = 0;
        for (WriteAheadJournal.Entry entry : journal.recovered()) {
            if (entry.sequence() <= applied) {
                continue;
            }
            if (entry.sequence() != applied + 1) {
                throw new JobStoreException("the job store journal " + journal.file() + " continues with record "
                        + entry.sequence() + " but the database " + file + " has applied records up to " + applied
                        + " only: the records between are lost", null);
            }
            StoreWrite write;
            try {
                write = codec.decode(entry.payload());
            } catch (JacksonException | IllegalArgumentException e) {
                throw new JobStoreException("the job store journal " + journal.file() + ": record "
                        + entry.sequence() + " is intact but cannot be read: " + e.getMessage(), e);
            }
            try {
                writeInTransaction(write, entry.sequence(), false);
            } catch (RuntimeException e) {
                throw new JobStoreException("the job store journal " + journal.file() + ": record "
                        + entry.sequence() + " cannot be applied: " + e.getMessage(), e);
            }
            first = first < 0 ? entry.sequence() : first;
            applied = entry.sequence();
            replayed++;
        }
        if (replayed > 0) {
            LOG.info("Job store {}: applied {} journal records the database did not have ({}..{})", file,
                    replayed, first, applied);
        }
        nextSequence = Math.max(applied, journal.lastSequence()) + 1;
        if (!journal.isEmpty()) {
            writeLock.lock();
            try {
                checkpoint();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** The number of the last journal record the database has applied. */
    static long appliedSequence(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT applied_sequence FROM journal_position");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw new JobStoreException("the job store has no journal position (schema version "
                        + Schema.CURRENT_VERSION + " adds it)", null);
            }
            return rows.getLong(1);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<SaveOutcome> saveAll(List<JobSubmission> jobs) {
        requireNonNull(jobs, "jobs is null");
        List<JobSubmission> copy = List.copyOf(jobs);
        return (List<SaveOutcome>) write(now -> new StoreWrite.SaveJobs(copy, now));
    }

    private List<SaveOutcome> saveJobs(Connection connection, StoreWrite.SaveJobs save) throws SQLException {
        List<SaveOutcome> outcomes = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Map<String, JobSubmission> accepted = new LinkedHashMap<>();
        List<String> repeated = new ArrayList<>();
        for (JobSubmission job : save.jobs()) {
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
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO jobs (id, job_json, state, status_message, created_at, updated_at, requested,"
                        + " request_revision, carried_out_revision, started)"
                        + " VALUES (?, ?, ?, NULL, ?, ?, ?, 1, 0, FALSE)")) {
            for (JobSubmission job : accepted.values()) {
                insert.setString(1, job.id());
                insert.setString(2, job.json());
                insert.setString(3, job.initialState().name());
                insert.setLong(4, save.at());
                insert.setLong(5, save.at());
                insert.setString(6, JobOperation.START.name());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return List.copyOf(outcomes);
    }

    @Override
    public void recordRequests(List<String> jobIds, JobOperation operation) {
        requireNonNull(jobIds, "jobIds is null");
        requireNonNull(operation, "operation is null");
        List<String> copy = List.copyOf(jobIds);
        write(now -> new StoreWrite.Requests(copy, operation));
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
        write(now -> new StoreWrite.CarriedOut(jobId, revision, started));
    }

    private static void markCarriedOut(Connection connection, StoreWrite.CarriedOut carriedOut) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jobs SET carried_out_revision = GREATEST(carried_out_revision, ?),"
                        + " started = (started OR ?) WHERE id = ?")) {
            update.setLong(1, carriedOut.revision());
            update.setBoolean(2, carriedOut.started());
            update.setString(3, carriedOut.jobId());
            update.executeUpdate();
        }
    }

    @Override
    public void replaceJob(String jobId, String json) {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(json, "json is null");
        write(now -> new StoreWrite.ReplaceJob(jobId, json));
    }

    private static void replaceJob(Connection connection, StoreWrite.ReplaceJob replace) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE jobs SET job_json = ? WHERE id = ?")) {
            update.setString(1, replace.json());
            update.setString(2, replace.jobId());
            if (update.executeUpdate() == 0) {
                throw new IllegalArgumentException("job " + replace.jobId() + " is not recorded");
            }
        }
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
        return (RecordedUpdate) write(now -> new StoreWrite.Update(jobId, update.state(), update.status(),
                update.timestamp(), now));
    }

    private static RecordedUpdate appendUpdate(Connection connection, StoreWrite.Update update, long writeSequence)
            throws SQLException {
        String jobId = update.jobId();
        long sequence;
        try (PreparedStatement next = connection.prepareStatement(
                "SELECT COALESCE(MAX(sequence_no), 0) + 1 FROM job_updates WHERE job_id = ?")) {
            next.setString(1, jobId);
            try (ResultSet rows = next.executeQuery()) {
                rows.next();
                sequence = rows.getLong(1);
            }
        }
        String state = update.state() == null ? null : update.state().name();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job_updates (job_id, sequence_no, state, status_message, happened_at, received_at,"
                        + " delivery, write_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, jobId);
            insert.setLong(2, sequence);
            insert.setString(3, state);
            insert.setString(4, update.status());
            insert.setLong(5, update.timestamp());
            insert.setLong(6, update.receivedAt());
            insert.setString(7, DeliveryState.PENDING.name());
            insert.setLong(8, writeSequence);
            insert.executeUpdate();
        }
        int changed;
        try (PreparedStatement change = connection.prepareStatement(
                "UPDATE jobs SET state = COALESCE(?, state), status_message = COALESCE(?, status_message),"
                        + " updated_at = ? WHERE id = ?")) {
            change.setString(1, state);
            change.setString(2, update.status());
            change.setLong(3, update.receivedAt());
            change.setString(4, jobId);
            changed = change.executeUpdate();
        }
        if (changed == 0) {
            LOG.warn("Update #{} for job {}, which the store does not know, recorded anyway: {}",
                    sequence, jobId, new JobUpdate(update.state(), update.status(), update.timestamp()));
        }
        return new RecordedUpdate(jobId, sequence, update.state(), update.status(), update.timestamp(),
                update.receivedAt());
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
    public List<RecordedUpdate> pendingDeliveries(int limit, Set<String> skippedJobs) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, is " + limit);
        }
        List<String> skipped = List.copyOf(requireNonNull(skippedJobs, "skippedJobs is null"));
        String skipping = skipped.isEmpty() ? ""
                : " AND job_id NOT IN (" + String.join(", ", Collections.nCopies(skipped.size(), "?")) + ")";
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT job_id, sequence_no, state, status_message, happened_at, received_at FROM job_updates"
                            + " WHERE delivery = ?" + skipping
                            + " ORDER BY write_sequence, job_id, sequence_no LIMIT ?")) {
                int parameter = 1;
                query.setString(parameter++, DeliveryState.PENDING.name());
                for (String jobId : skipped) {
                    query.setString(parameter++, jobId);
                }
                query.setInt(parameter, limit);
                try (ResultSet rows = query.executeQuery()) {
                    List<RecordedUpdate> result = new ArrayList<>();
                    while (rows.next()) {
                        String state = rows.getString(3);
                        result.add(new RecordedUpdate(rows.getString(1), rows.getLong(2),
                                state == null ? null : JobState.valueOf(state), rows.getString(4),
                                rows.getLong(5), rows.getLong(6)));
                    }
                    return List.copyOf(result);
                }
            }
        });
    }

    @Override
    public Optional<DeliveryState> delivery(UpdateId update) {
        requireNonNull(update, "update is null");
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT delivery FROM job_updates WHERE job_id = ? AND sequence_no = ?")) {
                query.setString(1, update.jobId());
                query.setLong(2, update.sequence());
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(DeliveryState.valueOf(rows.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Map<DeliveryState, Long> countByDelivery() {
        return read(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT delivery, COUNT(*) FROM job_updates GROUP BY delivery");
                 ResultSet rows = query.executeQuery()) {
                Map<DeliveryState, Long> result = new EnumMap<>(DeliveryState.class);
                while (rows.next()) {
                    result.put(DeliveryState.valueOf(rows.getString(1)), rows.getLong(2));
                }
                return result;
            }
        });
    }

    @Override
    public void markDelivered(List<UpdateId> updates) {
        markDelivery(updates, DeliveryState.DELIVERED);
    }

    @Override
    public void markDropped(List<UpdateId> updates) {
        markDelivery(updates, DeliveryState.DROPPED);
    }

    @Override
    public void markRefused(List<UpdateId> updates) {
        markDelivery(updates, DeliveryState.REFUSED);
    }

    @Override
    public RecordedLabels appendLabels(String jobId, Map<String, String> labels) {
        JobIds.check(jobId);
        requireNonNull(labels, "labels is null");
        return (RecordedLabels) write(now -> new StoreWrite.Labels(jobId, labels, now));
    }

    @Override
    public List<RecordedLabels> labels(String jobId) {
        requireNonNull(jobId, "jobId is null");
        return read(connection -> JobLabelRows.ofJob(connection, jobId));
    }

    @Override
    public List<RecordedLabels> pendingLabels(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, is " + limit);
        }
        return read(connection -> JobLabelRows.pending(connection, limit));
    }

    @Override
    public Optional<DeliveryState> labelDelivery(long id) {
        return read(connection -> JobLabelRows.delivery(connection, id));
    }

    @Override
    public void markLabels(List<Long> ids, DeliveryState outcome) {
        List<Long> copy = List.copyOf(requireNonNull(ids, "ids is null"));
        if (copy.isEmpty()) {
            return;
        }
        write(now -> new StoreWrite.LabelDelivery(copy, outcome));
    }

    private void markDelivery(List<UpdateId> updates, DeliveryState outcome) {
        requireNonNull(updates, "updates is null");
        List<UpdateId> copy = List.copyOf(updates);
        if (copy.isEmpty()) {
            return; // nothing to record, so nothing journaled
        }
        write(now -> new StoreWrite.Delivery(copy, outcome));
    }

    /**
     * Sets the outcome of pending updates, or throws (and the caller's transaction records nothing) when one is
     * not recorded. An update with an outcome already keeps it.
     */
    private static void markDelivery(Connection connection, StoreWrite.Delivery delivery) throws SQLException {
        List<String> unknown = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM job_updates WHERE job_id = ? AND sequence_no = ?")) {
            for (UpdateId update : delivery.updates()) {
                query.setString(1, update.jobId());
                query.setLong(2, update.sequence());
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        unknown.add(update.toString());
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("updates not recorded: " + String.join(", ", unknown));
        }
        try (PreparedStatement mark = connection.prepareStatement(
                "UPDATE job_updates SET delivery = ? WHERE job_id = ? AND sequence_no = ? AND delivery = ?")) {
            for (UpdateId update : delivery.updates()) {
                mark.setString(1, delivery.outcome().name());
                mark.setString(2, update.jobId());
                mark.setLong(3, update.sequence());
                mark.setString(4, DeliveryState.PENDING.name());
                mark.addBatch();
            }
            mark.executeBatch();
        }
    }

    /**
     * Closes the database cleanly, forces it to disk and empties the journal. When that fails the journal is
     * kept (and applied at the next open); the store is closed all the same.
     */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            databaseLock.writeLock().lock();
            try {
                if (failure == null) {
                    shutDownAndForce();
                    journal.markClosed();
                } else if (pool != null) {
                    pool.dispose();
                }
            } catch (RuntimeException e) {
                LOG.warn("Job store {}: the close did not finish ({}); the journal is kept and applied at the next"
                        + " open", file, e.getMessage());
            } finally {
                pool = null;
                databaseLock.writeLock().unlock();
                journal.close();
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

    /**
     * Runs {@code work} on a connection of the database, outside the journal and the write lock: for reads, and
     * for the drive cache's writes ({@link H2DriveTable}), which need not survive a crash.
     */
    <T> T read(SqlWork<T> work) {
        databaseLock.readLock().lock();
        try {
            ensureOpen();
            try (Connection connection = pool.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                throw new JobStoreException("job store read failed: " + e.getMessage(), e);
            }
        } finally {
            databaseLock.readLock().unlock();
        }
    }

    /**
     * Journals and applies one write, made by {@code make} from the clock's reading; returns what applying it
     * returns. Refused writes throw before anything is journaled.
     */
    private Object write(LongFunction<StoreWrite> make) {
        writeLock.lock();
        try {
            ensureOpen();
            if (journal.size() >= journalLimit) {
                checkpoint();
            }
            StoreWrite write = make.apply(clock.millis());
            Object result = writeInTransaction(write, nextSequence, true, durable(write));
            nextSequence++;
            return result;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Applies a write in one transaction that also records its sequence number; with {@code journalFirst}, its
     * journal record is on disk before the commit. A write that throws before that leaves nothing behind.
     */
    private Object writeInTransaction(StoreWrite write, long sequence, boolean journalFirst) {
        return writeInTransaction(write, sequence, journalFirst, true);
    }

    /**
     * Whether a write must be on disk before it is acknowledged. A delivery mark need not: if a crash loses it, the
     * update is sent to Core again, which at-least-once delivery allows; a flush per mark would double the flushes
     * of a busy IM, every one of them under the lock all writes share.
     */
    private static boolean durable(StoreWrite write) {
        return !(write instanceof StoreWrite.Delivery) && !(write instanceof StoreWrite.LabelDelivery);
    }

    private Object writeInTransaction(StoreWrite write, long sequence, boolean journalFirst, boolean force) {
        boolean journaled = false;
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Object result = apply(connection, write, sequence);
                try (PreparedStatement position = connection.prepareStatement(
                        "UPDATE journal_position SET applied_sequence = ?")) {
                    position.setLong(1, sequence);
                    position.executeUpdate();
                }
                if (journalFirst) {
                    journal.append(sequence, codec.encode(write), force);
                    journaled = true;
                }
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (journaled) {
                // The record is on disk but the database may or may not have it: only an open sorts that out.
                failure = "record " + sequence + " is journaled but its commit failed: " + e.getMessage();
                LOG.error("Job store {}: {}; the store takes no more work, restart the harness", file, failure, e);
            }
            throw new JobStoreException("job store write failed: " + e.getMessage(), e);
        }
    }

    /** Applies a write, journal record {@code sequence}, to the transaction of {@code connection}. */
    private Object apply(Connection connection, StoreWrite write, long sequence) throws SQLException {
        if (write instanceof StoreWrite.SaveJobs save) {
            return saveJobs(connection, save);
        }
        if (write instanceof StoreWrite.Requests requests) {
            applyRequests(connection, requests.jobIds(), requests.operation());
            return null;
        }
        if (write instanceof StoreWrite.CarriedOut carriedOut) {
            markCarriedOut(connection, carriedOut);
            return null;
        }
        if (write instanceof StoreWrite.Update update) {
            return appendUpdate(connection, update, sequence);
        }
        if (write instanceof StoreWrite.Delivery delivery) {
            markDelivery(connection, delivery);
            return null;
        }
        if (write instanceof StoreWrite.ReplaceJob replace) {
            replaceJob(connection, replace);
            return null;
        }
        if (write instanceof StoreWrite.Labels labels) {
            return JobLabelRows.insert(connection, labels, sequence);
        }
        if (write instanceof StoreWrite.LabelDelivery delivery) {
            JobLabelRows.mark(connection, delivery);
            return null;
        }
        throw new IllegalArgumentException("unknown write " + write);
    }

    /**
     * Makes what the database holds durable and empties the journal: a clean close of H2 (which writes a
     * correct header), a flush of its file, a reopen. Readers wait; the caller holds {@link #writeLock}. When
     * it fails the store takes no more work (the journal keeps every record).
     */
    private void checkpoint() {
        databaseLock.writeLock().lock();
        try {
            shutDownAndForce();
            pool = openPool(url, file);
            journal.truncate();
        } catch (RuntimeException e) {
            failure = "the database could not be closed and reopened to empty the journal: " + e.getMessage();
            LOG.error("Job store {}: {}; the store takes no more work, restart the harness", file, failure, e);
            throw e;
        } finally {
            databaseLock.writeLock().unlock();
        }
    }

    /** Closes the database cleanly and forces its file (and folder) to disk; {@link #pool} is null after. */
    private void shutDownAndForce() {
        JdbcConnectionPool closing = pool;
        pool = null;
        // SHUTDOWN closes the database even if a connection outside this pool (in this JVM) is still open. Not
        // through the pool: a pooled connection's close after it would log a "database closed" error.
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            throw new JobStoreException("cannot close the job store " + file + ": " + e.getMessage(), e);
        } finally {
            closing.dispose();
        }
        Path database = DatabaseRebuild.databaseFile(file);
        try {
            DatabaseRebuild.force(database);
            WriteAheadJournal.forceFolder(database);
        } catch (IOException e) {
            throw new JobStoreException("cannot flush the job store " + database + " to disk: " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the job store is closed");
        }
        String why = failure;
        if (why != null) {
            throw new JobStoreException("the job store " + file + " takes no more work: " + why
                    + "; restart the harness", null);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
