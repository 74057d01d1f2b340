package dk.sdu.cloud.im.agent.keys;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's lines in {@code ~/.ssh/authorized_keys}. Lines ending with {@value #MARKER} are the agent's and
 * are replaced as a whole; every other line is the user's and is kept as it is. The new file is written next
 * to the old one (mode 0600) and renamed over it, so sshd never reads half a file.
 */
public final class AuthorizedKeys {
    public static final String MARKER = " ucloud-managed-key";
    static final int MAX_KEY_BYTES = 16 * 1024;

    private final Path sshFolder;

    /** @param home the user's home folder; the keys live in its {@code .ssh} */
    public AuthorizedKeys(Path home) {
        this.sshFolder = requireNonNull(home, "home is null").resolve(".ssh");
    }

    public Path file() {
        return sshFolder.resolve("authorized_keys");
    }

    public Applied apply(List<String> keys) throws IOException {
        var lines = new ArrayList<String>();
        for (var line : existingLines()) {
            if (!line.endsWith(MARKER)) {
                lines.add(line);
            }
        }
        int installed = 0;
        int skipped = 0;
        for (var key : keys) {
            var trimmed = key.strip();
            if (trimmed.isEmpty() || trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0
                    || trimmed.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
                skipped++;
                continue;
            }
            lines.add(trimmed + MARKER);
            installed++;
        }
        write(lines);
        return new Applied(installed, skipped);
    }

    private List<String> existingLines() throws IOException {
        try {
            return Files.readAllLines(file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private void write(List<String> lines) throws IOException {
        if (!Files.isDirectory(sshFolder)) {
            Files.createDirectories(sshFolder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(sshFolder, PosixFilePermissions.fromString("rwx------"));
        var temporary = Files.createTempFile(sshFolder, ".authorized_keys.", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            var content = new StringBuilder();
            for (var line : lines) {
                content.append(line).append('\n');
            }
            try (var channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buffer = java.nio.ByteBuffer.wrap(content.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file(), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** How many keys were written, and how many were refused (a newline, longer than 16 KiB, or empty). */
    public record Applied(int installed, int skipped) {
    }
}
