package dk.sdu.cloud.im.harness.services;

import dk.sdu.cloud.im.spi.host.SecretStore;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Secrets in one JSON file (an object of key to value). Every change writes a new file beside the old one,
 * readable and writable only by the IM's user (0600, in a 0700 directory, where the file system has POSIX
 * permissions), and moves it over the old one atomically, so a crash leaves either the old or the new
 * content, never a mix. The file is read on first use; a file that is not such an object is an error, and
 * is never overwritten.
 */
public final class FileSecretStore implements SecretStore {
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final JsonMapper json = JsonMapper.builder().build();
    private Map<String, String> values;

    public FileSecretStore(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    @Override
    public synchronized Optional<String> get(String key) {
        requireNonNull(key, "key is null");
        return Optional.ofNullable(values().get(key));
    }

    @Override
    public synchronized void put(String key, String value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        Map<String, String> next = new TreeMap<>(values());
        next.put(key, value);
        write(next);
        values = next;
    }

    @Override
    public synchronized void delete(String key) {
        requireNonNull(key, "key is null");
        if (!values().containsKey(key)) {
            return;
        }
        Map<String, String> next = new TreeMap<>(values());
        next.remove(key);
        write(next);
        values = next;
    }

    private Map<String, String> values() {
        if (values == null) {
            values = read();
        }
        return values;
    }

    private Map<String, String> read() {
        try {
            return new TreeMap<>(json.readValue(Files.readString(file), new TypeReference<Map<String, String>>() {
            }));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret store " + file, e);
        } catch (JacksonException e) {
            throw new IllegalStateException("the secret store " + file + " is not a JSON object of text values; "
                    + "it is left as it is: " + e.getOriginalMessage(), e);
        }
    }

    private void write(Map<String, String> content) {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            createPrivateDirectory(directory);
            temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
            setPermissions(temporary, FILE_PERMISSIONS);
            Files.writeString(temporary, json.writeValueAsString(content));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret store " + file, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write failed already; that is the error worth reporting
                }
            }
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(directory + " exists and is not a directory", e);
        }
        setPermissions(directory, DIRECTORY_PERMISSIONS);
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's default access rules apply.
        }
    }
}
