package dk.sdu.cloud.im.harness.store;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table {@code job_labels}: labels of jobs on their way to Core, written by the job store's journaled writes
 * ({@link StoreWrite.Labels}, {@link StoreWrite.LabelDelivery}) as its updates are. A row's id is the number of
 * the journal record that wrote it, so a replayed record writes the very same row.
 */
final class JobLabelRows {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };
    private static final String COLUMNS = "id, job_id, labels_json, received_at";

    private JobLabelRows() {
    }

    static RecordedLabels insert(Connection connection, StoreWrite.Labels labels, long writeSequence)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO job_labels (" + COLUMNS + ", delivery) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, writeSequence);
            insert.setString(2, labels.jobId());
            insert.setString(3, JSON.writeValueAsString(labels.labels()));
            insert.setLong(4, labels.receivedAt());
            insert.setString(5, DeliveryState.PENDING.name());
            insert.executeUpdate();
        }
        return new RecordedLabels(writeSequence, labels.jobId(), labels.labels(), labels.receivedAt());
    }

    static List<RecordedLabels> ofJob(Connection connection, String jobId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM job_labels WHERE job_id = ? ORDER BY id")) {
            query.setString(1, jobId);
            return rows(query);
        }
    }

    static List<RecordedLabels> pending(Connection connection, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM job_labels WHERE delivery = ? ORDER BY id LIMIT ?")) {
            query.setString(1, DeliveryState.PENDING.name());
            query.setInt(2, limit);
            return rows(query);
        }
    }

    static java.util.Optional<DeliveryState> delivery(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT delivery FROM job_labels WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? java.util.Optional.of(DeliveryState.valueOf(rows.getString(1)))
                        : java.util.Optional.empty();
            }
        }
    }

    /** Sets the outcome of pending rows; throws (nothing is marked) when one is not recorded. */
    static void mark(Connection connection, StoreWrite.LabelDelivery delivery) throws SQLException {
        List<Long> unknown = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM job_labels WHERE id = ?")) {
            for (long id : delivery.labels()) {
                query.setLong(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        unknown.add(id);
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("labels not recorded: " + unknown);
        }
        try (PreparedStatement mark = connection.prepareStatement(
                "UPDATE job_labels SET delivery = ? WHERE id = ? AND delivery = ?")) {
            for (long id : delivery.labels()) {
                mark.setString(1, delivery.outcome().name());
                mark.setLong(2, id);
                mark.setString(3, DeliveryState.PENDING.name());
                mark.addBatch();
            }
            mark.executeBatch();
        }
    }

    private static List<RecordedLabels> rows(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            List<RecordedLabels> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new RecordedLabels(rows.getLong(1), rows.getString(2),
                        JSON.readValue(rows.getString(3), LABELS), rows.getLong(4)));
            }
            return List.copyOf(result);
        }
    }
}
