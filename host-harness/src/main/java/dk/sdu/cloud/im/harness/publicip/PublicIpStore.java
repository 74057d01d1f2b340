package dk.sdu.cloud.im.harness.publicip;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The public IP pool and its allocations, kept in the data directory ({@value #FILE}), as UCloud's IM keeps
 * them in its database. The serving IM and the operator's {@code ucloud-im ips} both change it: every change
 * reads the file, changes the state and replaces the file atomically, under a file lock ({@value #LOCK_FILE})
 * that the other process respects, so that neither loses the other's change. Every read reads the file, so the
 * serving IM sees an address the operator just added.
 *
 * <p>The lock is this pool's alone (no job waits on it); within one process, one store per data directory.
 */
public final class PublicIpStore {
    /** The file of the pool, in the data directory. */
    public static final String FILE = "public-ips.json";
    /** The file locked while the pool changes. */
    public static final String LOCK_FILE = "public-ips.lock";

    private final Path file;
    private final Path lockFile;
    private final JsonMapper json;
    private final ReentrantLock inProcess = new ReentrantLock();

    private PublicIpStore(Path dataDirectory, JsonMapper json) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        this.file = dataDirectory.resolve(FILE);
        this.lockFile = dataDirectory.resolve(LOCK_FILE);
        this.json = requireNonNull(json, "json is null");
    }

    /** The pool of a data directory (created with the first change). */
    public static PublicIpStore in(Path dataDirectory) {
        return new PublicIpStore(dataDirectory, JsonMapper.builder().build());
    }

    /** The file the pool is kept in. */
    public Path file() {
        return file;
    }

    /** The pool as it is now. */
    public PoolState read() {
        if (!Files.exists(file)) {
            return PoolState.EMPTY;
        }
        try {
            PoolState state = json.readValue(Files.readAllBytes(file), PoolState.class);
            if (state == null) {
                throw new IllegalStateException("the public IP pool " + file + " is damaged: it holds null");
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public IP pool " + file + ": " + e.getMessage(), e);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalStateException("the public IP pool " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Changes the pool: the change sees the latest state and its result replaces it. A change that throws
     * changes nothing.
     *
     * @return the new state
     */
    public PoolState change(UnaryOperator<PoolState> change) {
        requireNonNull(change, "change is null");
        inProcess.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                PoolState before = read();
                PoolState after = requireNonNull(change.apply(before), "a change gave no state");
                if (!after.equals(before)) {
                    write(after);
                }
                return after;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change the public IP pool " + file + ": " + e.getMessage(), e);
        } finally {
            inProcess.unlock();
        }
    }

    private void write(PoolState state) throws IOException {
        Path temporary = file.resolveSibling(FILE + ".new");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state)));
            // On disk before it replaces the old file: a crash leaves the old pool or the new, never half of one.
            out.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
