package dk.sdu.cloud.im.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A simulated guest's root file system: a folder in which every guest path the agent uses is resolved
 * ({@code vmagent --simulated-guest <root>}, docs/agent-protocol.md). {@link #boot} writes what the guest would
 * have after cloud-init and its mount units ran:
 * <ul>
 *   <li>every {@code write_files} entry of the {@code #cloud-config} user data, under the root, with its
 *       permissions (owners are not simulated): the agent's {@code etc/ucloud-agent/agent.json} (0600), the
 *       systemd units;</li>
 *   <li>{@code etc/ucloud/mounts.yml}: a copy of the one in the host folder behind the tag that a mount unit
 *       mounts at {@code /etc/ucloud} (the job's config folder); {@code opt/ucloud}: a symbolic link to the
 *       host folder mounted there (the provider's executables), so the agent sees its launcher change;</li>
 *   <li>{@code etc/ucloud-agent/simulated-tags.json}: every virtiofs tag of the VMI with the host folder
 *       behind it (the agent "mounts" a tag as a symbolic link to it);</li>
 *   <li>{@code work/} and {@code home/ucloud/} as plain folders (the agent's links to users' folders go into
 *       {@code work/}, never into the provider's file system).</li>
 * </ul>
 * Paths that would leave the root are refused. Booting again (an agent restart, a restarted simulator)
 * rewrites the same files.
 */
final class GuestRoot {

    private static final Logger log = LoggerFactory.getLogger(GuestRoot.class);
    static final String TAGS_FILE = "etc/ucloud-agent/simulated-tags.json";
    static final String AGENT_LOG = "var/log/ucloud-vmagent.log";
    static final String METRICS_LOG = "var/log/ucloud-metrics.log";
    static final String MOUNT_UNIT_SUFFIX = ".mount";
    private static final String MOUNTS_FILE = "mounts.yml";

    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Path root;

    GuestRoot(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    Path path() {
        return root;
    }

    /** The folder the serial console's shell starts in. */
    Path work() {
        return root.resolve("work");
    }

    Path home() {
        return root.resolve("home/ucloud");
    }

    Path agentLog() {
        return root.resolve(AGENT_LOG);
    }

    Path metricsLog() {
        return root.resolve(METRICS_LOG);
    }

    /**
     * Writes the root as cloud-init and the mount units would leave it.
     *
     * @return the host folder a mount unit mounts at {@code /work} (the job's work folder, where the guest's metrics
     *         service writes), if there is one
     */
    Optional<Path> boot(GuestBoot boot) throws IOException {
        Files.createDirectories(work());
        Files.createDirectories(home());
        Files.createDirectories(agentLog().getParent());
        Map<String, String> mountedAt = new TreeMap<>();          // guest path -> tag, from the mount units
        for (Map<String, Object> file : writeFiles(boot.userData())) {
            Object path = file.get("path");
            Object content = file.get("content");
            if (path == null) {
                continue;
            }
            byte[] bytes = decode(content == null ? "" : content.toString(), file.get("encoding"));
            Path target = guestPath(path.toString());
            write(target, bytes, permissions(file.get("permissions")));
            if (path.toString().endsWith(MOUNT_UNIT_SUFFIX)) {
                mountUnit(new String(bytes, StandardCharsets.UTF_8), mountedAt);
            }
        }
        Map<String, String> tags = new TreeMap<>();
        boot.tags().forEach((tag, folder) -> tags.put(tag, folder.toString()));
        write(guestPath("/" + TAGS_FILE), json.writeValueAsBytes(tags), null);
        for (Map.Entry<String, String> mount : mountedAt.entrySet()) {
            Path folder = boot.tags().get(mount.getValue());
            if (folder == null) {
                continue;
            }
            if (mount.getKey().equals("/etc/ucloud")) {
                copyMountsFile(folder);
            } else if (mount.getKey().equals("/opt/ucloud")) {
                link(guestPath(mount.getKey()), folder);
            }
        }
        return Optional.ofNullable(mountedAt.get("/work")).map(tag -> boot.tags().get(tag));
    }

    private List<Map<String, Object>> writeFiles(String userData) {
        if (userData == null) {
            return List.of();
        }
        try {
            Object document = yaml.readValue(userData, Object.class);
            if (document instanceof Map<?, ?> map && map.get("write_files") instanceof List<?> files) {
                return files.stream().filter(Map.class::isInstance).map(GuestRoot::stringKeys).toList();
            }
            return List.of();
        } catch (JacksonException e) {
            log.warn("simulated guest {}: the cloud-init user data is not YAML: {}", root.getFileName(),
                    e.getOriginalMessage());
            return List.of();
        }
    }

    private static Map<String, Object> stringKeys(Object map) {
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<?, ?>) map).forEach((key, value) -> result.put(String.valueOf(key), value));
        return result;
    }

    private static byte[] decode(String content, Object encoding) {
        String kind = encoding == null ? "text/plain" : encoding.toString();
        return switch (kind) {
            case "b64", "base64" -> Base64.getMimeDecoder().decode(content);
            case "text/plain" -> content.getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException("write_files encoding '" + kind + "' is not simulated");
        };
    }

    private static Set<PosixFilePermission> permissions(Object octal) {
        if (octal == null) {
            return null;
        }
        int mode = Integer.parseInt(octal.toString().trim(), 8) & 0777;
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 0; bit < 9; bit++) {
            text.append((mode & (1 << (8 - bit))) != 0 ? letters.charAt(bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    /** {@code What=} and {@code Where=} of a systemd mount unit. */
    private static void mountUnit(String unit, Map<String, String> mountedAt) {
        String what = null;
        String where = null;
        for (String line : unit.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("What=")) {
                what = trimmed.substring("What=".length()).trim();
            } else if (trimmed.startsWith("Where=")) {
                where = trimmed.substring("Where=".length()).trim();
            }
        }
        if (what != null && where != null) {
            mountedAt.put(where, what);
        }
    }

    private void copyMountsFile(Path configFolder) throws IOException {
        Path source = configFolder.resolve(MOUNTS_FILE);
        Path target = guestPath("/etc/ucloud/" + MOUNTS_FILE);
        Files.createDirectories(target.getParent());
        try {
            Path temporary = Files.createTempFile(target.getParent(), MOUNTS_FILE, ".tmp");
            Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            log.info("simulated guest {}: the job's config folder has no {} (no user folders to mount)",
                    root.getFileName(), MOUNTS_FILE);
            Files.deleteIfExists(target);
        }
    }

    private static void link(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
            return;
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    /** A guest path (absolute) in the root; refused when it would leave the root. */
    Path guestPath(String guestPath) {
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute guest path: " + guestPath);
        }
        Path resolved = root.resolve(guestPath.substring(1)).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("guest path leaves the guest root: " + guestPath);
        }
        return resolved;
    }

    private void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
        Files.createDirectories(target.getParent());
        // Never through a symbolic link (opt/ucloud, the agent's links in work/) into a host folder.
        if (!target.getParent().toRealPath().startsWith(root.toRealPath())) {
            throw new IllegalArgumentException("guest path leaves the guest root through a link: "
                    + root.relativize(target));
        }
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temporary, bytes);
            if (permissions != null) {
                Files.setPosixFilePermissions(temporary, permissions);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes the root; symbolic links in it are removed, never followed. */
    void delete() throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
