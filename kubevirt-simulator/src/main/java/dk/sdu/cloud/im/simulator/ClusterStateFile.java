package dk.sdu.cloud.im.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The embedded cluster's objects on disk: one file, replaced as a whole (written to {@code <file>.tmp}, forced
 * to disk, then renamed over the file after the file itself was renamed to {@code <file>.previous}), so a
 * crash at any point leaves a complete state behind: the new one, or the one before.
 *
 * <p>The format is text, one JSON document a line: a header {@code {"format":"ucloud-im-embedded-cluster",
 * "version":1,"objects":N}}, then N lines {@code {"plural":"<plural>","object":<the object as stored>}}, then a
 * trailer {@code {"end":N,"sha256":"<hex>"}} with the SHA-256 of every byte before it. A file whose header,
 * count or checksum does not hold (a torn or truncated write, an edit) is ignored with a warning and the
 * previous one is read instead.
 */
final class ClusterStateFile {

    private static final Logger log = LoggerFactory.getLogger(ClusterStateFile.class);

    static final String FORMAT = "ucloud-im-embedded-cluster";
    static final int VERSION = 1;
    private static final Pattern HEADER = Pattern.compile(
            "\\{\"format\":\"" + FORMAT + "\",\"version\":(\\d+),\"objects\":(\\d+)}");
    private static final Pattern TRAILER = Pattern.compile("\\{\"end\":(\\d+),\"sha256\":\"([0-9a-f]{64})\"}");
    private static final Pattern OBJECT_LINE = Pattern.compile("\\{\"plural\":\"([a-z0-9.-]+)\",\"object\":(\\{.*})}");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern PLURAL = Pattern.compile("[a-z0-9.-]+");

    /**
     * One stored object.
     *
     * @param plural the resource it is stored under (e.g. {@code virtualmachines})
     * @param json   the object as the store holds it: one line of compact JSON
     */
    record StoredObject(String plural, String json) {
        StoredObject {
            requireNonNull(plural, "plural is null");
            requireNonNull(json, "json is null");
            if (!PLURAL.matcher(plural).matches()) {
                throw new IllegalArgumentException("not a resource name: " + plural);
            }
            if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0 || !json.startsWith("{") || !json.endsWith("}")) {
                throw new IllegalArgumentException("not one line of a JSON object: " + plural);
            }
        }
    }

    private final Path file;

    ClusterStateFile(Path file) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
    }

    Path file() {
        return file;
    }

    Path previous() {
        return file.resolveSibling(file.getFileName() + ".previous");
    }

    private Path temporary() {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /** Replaces the state on disk with these objects (see the class comment for why a crash loses nothing). */
    void write(List<StoredObject> objects) throws IOException {
        requireNonNull(objects, "objects is null");
        byte[] bytes = encode(objects);
        Files.createDirectories(file.getParent());
        Path temporary = temporary();
        Files.deleteIfExists(temporary);       // a torn one from a crash: made anew, with the owner's mode
        // Owner only: the objects include Secrets (the agents' tokens).
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (Files.exists(file)) {
            move(file, previous());
        }
        move(temporary, file);
        forceDirectory();
    }

    /**
     * The objects of the newest complete state: the file, else the previous one; empty when neither is there
     * or readable (a first start).
     */
    Optional<List<StoredObject>> read() {
        for (Path candidate : List.of(file, previous())) {
            try {
                return Optional.of(decode(Files.readAllBytes(candidate)));
            } catch (NoSuchFileException e) {
                log.debug("no embedded cluster state at {}", candidate);
            } catch (IOException e) {
                log.warn("Cannot read the embedded cluster's state {}: {}", candidate, e.toString());
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring the embedded cluster's state {}: {}", candidate, e.getMessage());
            }
        }
        return Optional.empty();
    }

    static byte[] encode(List<StoredObject> objects) {
        StringBuilder text = new StringBuilder();
        text.append("{\"format\":\"").append(FORMAT).append("\",\"version\":").append(VERSION)
                .append(",\"objects\":").append(objects.size()).append("}\n");
        for (StoredObject object : objects) {
            text.append("{\"plural\":\"").append(object.plural()).append("\",\"object\":").append(object.json())
                    .append("}\n");
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        String trailer = "{\"end\":" + objects.size() + ",\"sha256\":\"" + sha256(body, body.length) + "\"}\n";
        byte[] all = new byte[body.length + trailer.length()];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(trailer.getBytes(StandardCharsets.US_ASCII), 0, all, body.length, trailer.length());
        return all;
    }

    /** The objects of a complete file; {@link IllegalArgumentException} naming what does not hold otherwise. */
    static List<StoredObject> decode(byte[] bytes) {
        int end = bytes.length;
        if (end == 0 || bytes[end - 1] != '\n') {
            throw new IllegalArgumentException("the file does not end with a complete line (a torn write)");
        }
        int trailerStart = lastLineStart(bytes, end - 1);
        String trailer = new String(bytes, trailerStart, end - 1 - trailerStart, StandardCharsets.UTF_8);
        Matcher trailerMatch = TRAILER.matcher(trailer);
        if (!trailerMatch.matches()) {
            throw new IllegalArgumentException("no trailer line with a checksum (a torn write)");
        }
        if (!sha256(bytes, trailerStart).equals(trailerMatch.group(2))) {
            throw new IllegalArgumentException("the checksum does not match the content");
        }
        String[] lines = new String(bytes, 0, trailerStart, StandardCharsets.UTF_8).split("\n", -1);
        Matcher header = HEADER.matcher(lines[0]);
        if (!header.matches()) {
            throw new IllegalArgumentException("not an embedded cluster state (the first line is no header)");
        }
        if (Integer.parseInt(header.group(1)) != VERSION) {
            throw new IllegalArgumentException("format version " + header.group(1) + " is not " + VERSION);
        }
        int count = Integer.parseInt(header.group(2));
        // lines: header, the objects, and the empty string after the last newline
        if (count != Integer.parseInt(trailerMatch.group(1)) || lines.length != count + 2) {
            throw new IllegalArgumentException("the header, trailer and lines disagree on the number of objects");
        }
        List<StoredObject> objects = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            Matcher line = OBJECT_LINE.matcher(lines[i]);
            if (!line.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a stored object");
            }
            objects.add(new StoredObject(line.group(1), line.group(2)));
        }
        return objects;
    }

    private static int lastLineStart(byte[] bytes, int newline) {
        for (int i = newline - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    private static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // The renames are durable only once the folder is on disk too; a file system that cannot force a folder
    // (not Linux) keeps them at its own pace.
    private void forceDirectory() {
        try (FileChannel folder = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UncheckedIOException e) {
            log.debug("cannot force the folder {} to disk: {}", file.getParent(), e.toString());
        }
    }
}
