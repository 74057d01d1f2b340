package dk.sdu.cloud.im.harness.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@link DriveTable} in the job store's database (table {@code drives}).
 *
 * <p>Its writes do not go through the store's {@link WriteAheadJournal}: each is one statement committed on
 * its own, so a crash can lose the last ones (see {@link H2JobStore} on what H2 alone keeps). That is fine for
 * a cache: a drive that is lost is asked of Core again, at the cost of one call. Journaling them would put a
 * forced disk write under the lock every job write waits on, for data Core keeps anyway. A lost row never
 * harms the journaled data: the journal's position is committed with each journaled write, not with these.
 */
public final class H2DriveTable implements DriveTable {
    private static final String COLUMNS = "drive_id, provider_generated_id, created_by, project, product_id,"
            + " product_category, product_provider, fetched_at";

    private final H2JobStore store;

    private H2DriveTable(H2JobStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The drive table of {@code store}; it is usable as long as the store is open. */
    public static H2DriveTable of(H2JobStore store) {
        return new H2DriveTable(store);
    }

    @Override
    public Optional<KnownDrive> find(String driveId) {
        requireNonNull(driveId, "driveId is null");
        return store.read(connection -> one(connection, "SELECT " + COLUMNS + " FROM drives WHERE drive_id = ?",
                driveId));
    }

    @Override
    public Optional<KnownDrive> findByProviderGeneratedId(String providerGeneratedId) {
        requireNonNull(providerGeneratedId, "providerGeneratedId is null");
        return store.read(connection -> one(connection, "SELECT " + COLUMNS + " FROM drives"
                + " WHERE provider_generated_id = ? ORDER BY fetched_at DESC, drive_id DESC LIMIT 1",
                providerGeneratedId));
    }

    @Override
    public void remember(KnownDrive drive) {
        requireNonNull(drive, "drive is null");
        store.read(connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    "MERGE INTO drives (" + COLUMNS + ") KEY (drive_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                merge.setString(1, drive.id());
                merge.setString(2, drive.providerGeneratedId().orElse(null));
                merge.setString(3, drive.createdBy());
                merge.setString(4, drive.project().orElse(null));
                merge.setString(5, drive.productId());
                merge.setString(6, drive.productCategory());
                merge.setString(7, drive.productProvider());
                merge.setLong(8, drive.fetchedAt());
                merge.executeUpdate();
                return null;
            }
        });
    }

    private static Optional<KnownDrive> one(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KnownDrive(rows.getString(1), Optional.ofNullable(rows.getString(2)),
                        rows.getString(3), Optional.ofNullable(rows.getString(4)), rows.getString(5),
                        rows.getString(6), rows.getString(7), rows.getLong(8)));
            }
        }
    }
}
