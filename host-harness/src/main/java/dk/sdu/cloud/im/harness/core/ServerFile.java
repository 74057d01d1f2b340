package dk.sdu.cloud.im.harness.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * UCloud's {@code server.yml} (else {@code server.yaml}) of the configuration folder: the provider's refresh token
 * ({@code refreshToken}, required), which the IM exchanges for access tokens to call Core. UCloud's IM also reads
 * its Postgres connection from {@code database} here; this IM keeps its state in its own store, so the section is
 * accepted and said to be unused.
 *
 * @param file         the file read
 * @param refreshToken the provider's refresh token
 * @param hasDatabase  whether the file has UCloud's {@code database} section (not used here)
 */
public record ServerFile(Path file, String refreshToken, boolean hasDatabase) {
    /** The first file looked for. */
    public static final String FILE = "server.yml";
    /** The file looked for when {@link #FILE} is absent. */
    public static final String ALTERNATIVE_FILE = "server.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(ServerFile.class);
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    public ServerFile {
        requireNonNull(file, "file is null");
        requireNonNull(refreshToken, "refreshToken is null");
    }

    @Override
    public String toString() {
        // The token stays out of logs.
        return "ServerFile[" + file + "]";
    }

    /** {@link #FILE} of the folder, else {@link #ALTERNATIVE_FILE}; empty when neither exists. */
    public static Optional<Path> locate(Path folder) {
        requireNonNull(folder, "folder is null");
        for (String name : List.of(FILE, ALTERNATIVE_FILE)) {
            Path file = folder.resolve(name);
            if (Files.exists(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the folder's {@code server.yml}; logs that a {@code database} section is not used.
     *
     * @throws ServerFileException naming the folder when there is no such file, or the file when it cannot be read,
     *                             is not YAML, or has no usable {@code refreshToken}
     */
    public static ServerFile read(Path folder) {
        Path file = locate(folder).orElseThrow(() -> new ServerFileException("no " + FILE + " in " + folder
                + ": to call UCloud/Core (harness.core.mode remote) the IM needs the provider's refresh token, "
                + "which Core gave when the provider was registered. Write it to " + folder.resolve(FILE)
                + " as\n  refreshToken: <the provider's refresh token>\n(or set harness.core.mode: local to let the "
                + "harness play Core)"));
        ServerFile server = readFile(file);
        if (server.hasDatabase()) {
            LOG.info("{}: the 'database' section is not used: this IM keeps its state in its own store "
                    + "(harness.dataDirectory)", file);
        }
        return server;
    }

    /** Reads one file (without logging). */
    public static ServerFile readFile(Path file) {
        requireNonNull(file, "file is null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServerFileException("cannot read " + file + ": " + e, e);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw new ServerFileException(file + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ServerFileException(file + " is empty; it must set refreshToken: <the provider's refresh token>");
        }
        if (!root.isObject()) {
            throw new ServerFileException(file + " must be a mapping with refreshToken: <the provider's refresh token>");
        }
        JsonNode token = root.get("refreshToken");
        if (token == null || token.isNull()) {
            throw new ServerFileException(file + " has no refreshToken: set it to the provider's refresh token, "
                    + "which Core gave when the provider was registered" + otherKeys(root));
        }
        if (!token.isString() || token.asString().isBlank()) {
            throw new ServerFileException(file + ": refreshToken must be a non-empty text (the provider's refresh "
                    + "token)");
        }
        String value = token.asString().strip();
        if (!value.matches("\\S+")) {
            throw new ServerFileException(file + ": refreshToken must not contain spaces or line breaks");
        }
        return new ServerFile(file, value, root.has("database"));
    }

    private static String otherKeys(JsonNode root) {
        StringBuilder keys = new StringBuilder();
        Iterator<String> names = root.propertyNames().iterator();
        while (names.hasNext()) {
            keys.append(keys.isEmpty() ? "" : ", ").append(names.next());
        }
        return keys.isEmpty() ? "" : " (it has: " + keys + ")";
    }

    /**
     * Writes a {@code server.yml} holding {@code refreshToken}, readable by its owner only (UCloud's service script
     * leaves it so).
     */
    public static void write(Path file, String refreshToken) {
        requireNonNull(file, "file is null");
        requireNonNull(refreshToken, "refreshToken is null");
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, FILE, ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default access rules apply
            }
            Files.writeString(temporary, "refreshToken: \"" + refreshToken + "\"\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ServerFileException("cannot write " + file + ": " + e, e);
        }
    }
}
