package dk.sdu.cloud.im.harness.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Replaces an H2 database file that was not closed (its process was killed), or that no journal vouches for
 * (a store from before the journal), by a fresh copy of what it holds, before anything opens it for writing.
 *
 * <p>Why: H2 (2.x) finds the right content in such a file when it opens it, but once it has opened it for
 * writing and closed it again, the next open can find an old state instead (in our tests: the empty tables of
 * the store's first minutes). A file opened read-only is left as it was. So the file is opened read-only, its
 * content written out as SQL ({@code SCRIPT}) and run into a new file ({@code RUNSCRIPT}), which is closed
 * cleanly, forced to disk and moved over the old one in one step. Until that move the old file is untouched, so
 * a kill at any point leaves a file this can copy again.
 */
final class DatabaseRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRebuild.class);
    /** What H2 appends to a database's name for its file. */
    static final String DATABASE_SUFFIX = ".mv.db";
    private static final String REBUILD_SUFFIX = ".rebuild";

    private DatabaseRebuild() {
    }

    /** The file H2 keeps the database {@code file} in (the name given to {@link H2JobStore#open}). */
    static Path databaseFile(Path file) {
        return file.resolveSibling(file.getFileName() + DATABASE_SUFFIX);
    }

    /**
     * Replaces the database {@code file} (without H2's suffix) by a fresh copy of its content.
     *
     * @throws JobStoreException when it cannot be read, written or moved; the old file is then as it was
     */
    static void replaceWithCopy(Path file) {
        Path copy = file.resolveSibling(file.getFileName() + REBUILD_SUFFIX);
        Path script = file.resolveSibling(file.getFileName() + REBUILD_SUFFIX + ".sql");
        long started = System.nanoTime();
        try {
            Files.deleteIfExists(databaseFile(copy));
            Files.deleteIfExists(script);
            try (Connection old = DriverManager.getConnection(
                    "jdbc:h2:file:" + file + ";ACCESS_MODE_DATA=r", "sa", "");
                 Statement statement = old.createStatement()) {
                statement.execute("SCRIPT TO " + quoted(script));
            }
            try (Connection fresh = DriverManager.getConnection("jdbc:h2:file:" + copy, "sa", "");
                 Statement statement = fresh.createStatement()) {
                statement.execute("RUNSCRIPT FROM " + quoted(script));
                statement.execute("SHUTDOWN");
            }
            Path copied = databaseFile(copy);
            force(copied);
            Files.move(copied, databaseFile(file), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            WriteAheadJournal.forceFolder(databaseFile(file));
            Files.deleteIfExists(script);
        } catch (SQLException | IOException e) {
            throw new JobStoreException("cannot copy the job store " + databaseFile(file) + " after an unclean stop: "
                    + e.getMessage(), e);
        }
        LOG.info("Job store {}: not closed last time (or no journal yet); replaced by a fresh copy of its content"
                + " ({} ms)", file,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Forces a file's content to disk. */
    static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static String quoted(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
