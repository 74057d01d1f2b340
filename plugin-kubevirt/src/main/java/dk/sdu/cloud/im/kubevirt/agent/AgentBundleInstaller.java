package dk.sdu.cloud.im.kubevirt.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the provider's {@code ucloud-exe} folder (the guests' {@code /opt/ucloud}) in step with the agent
 * bundle of the installation, so that a running guest never sees half an agent:
 * <ol>
 *   <li>the bundle's content hash (SHA-256 over every file's relative path, type, executable bit and bytes)
 *       names a version folder {@code vmagent-<hash>}; when it is missing, the bundle is copied into a
 *       temporary folder beside it, which is then renamed to that name (so a version folder is always
 *       complete);</li>
 *   <li>the launcher {@code vmagent}, a small script that execs the version folder's own {@code vmagent}, is
 *       written to a temporary file and renamed over the old one: a guest sees the old launcher or the new,
 *       never half of one; an agent that notices its launcher changed exits and systemd starts the new
 *       one;</li>
 *   <li>version folders other than the new one and the one the old launcher named are removed: the old one
 *       may still be running in guests until they restart the agent, and goes at the next install.</li>
 * </ol>
 * Nothing is written when the launcher already names the bundle's version and that folder exists.
 */
public final class AgentBundleInstaller {
    private static final Logger log = LoggerFactory.getLogger(AgentBundleInstaller.class);
    /** The launcher's file name, in the bundle and in {@code ucloud-exe}. */
    public static final String LAUNCHER = "vmagent";
    /** The prefix of version folders in {@code ucloud-exe}. */
    public static final String VERSION_PREFIX = "vmagent-";
    private static final int HASH_CHARS = 16;
    private static final String TEMPORARY_PREFIX = ".vmagent-";
    private static final Pattern LAUNCHED_VERSION = Pattern.compile("/(" + Pattern.quote(VERSION_PREFIX)
            + "[0-9a-f]{" + HASH_CHARS + "})/" + Pattern.quote(LAUNCHER) + "\"");
    private static final Set<PosixFilePermission> LAUNCHER_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    /** What an install did. */
    public enum Outcome {
        /** The bundle is not in the installation: nothing was changed. */
        NO_BUNDLE,
        /** The launcher already named the bundle's version. */
        UP_TO_DATE,
        /** The bundle's version was installed and the launcher now names it. */
        INSTALLED
    }

    private final SecureRandom random = new SecureRandom();

    /**
     * Installs the bundle into the executables folder if it is missing or differs.
     *
     * @param bundle      the bundle's folder ({@code vmagent}, {@code vmagent.d/})
     * @param executables the provider's {@code ucloud-exe} folder, made when missing
     * @throws UncheckedIOException when the folder cannot be read or written
     */
    public Outcome install(Path bundle, Path executables) {
        requireNonNull(bundle, "bundle is null");
        requireNonNull(executables, "executables is null");
        if (!Files.isRegularFile(bundle.resolve(LAUNCHER))) {
            return Outcome.NO_BUNDLE;
        }
        try {
            String version = VERSION_PREFIX + hash(bundle);
            Files.createDirectories(executables);
            Path launcher = executables.resolve(LAUNCHER);
            Optional<String> before = launchedVersion(launcher);
            removeLeftovers(executables);
            Path folder = executables.resolve(version);
            if (before.filter(version::equals).isPresent() && Files.isDirectory(folder)) {
                return Outcome.UP_TO_DATE;
            }
            if (!Files.isDirectory(folder)) {
                copyAtomically(bundle, executables, folder);
            }
            writeLauncher(launcher, version);
            removeVersionsExcept(executables, version, before.orElse(null));
            log.info("Installed the guest agent {} into {}", version, executables);
            return Outcome.INSTALLED;
        } catch (IOException e) {
            throw new UncheckedIOException("The agent bundle " + bundle + " could not be installed into "
                    + executables + ": " + e.getMessage(), e);
        }
    }

    /** The launcher's text: exec the version folder's own launcher, which finds its files from its path. */
    static String launcherText(String version) {
        return "#!/bin/sh\n"
                + "# Written by the UCloud IM: runs the guest agent from its version folder. Replaced as a whole\n"
                + "# when the agent changes; the running agent notices and restarts.\n"
                + "exec \"$(dirname \"$0\")/" + version + "/" + LAUNCHER + "\" \"$@\"\n";
    }

    /** The version folder a launcher names, if it is one of ours. */
    static Optional<String> launchedVersion(Path launcher) throws IOException {
        if (!Files.isRegularFile(launcher, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Matcher matcher = LAUNCHED_VERSION.matcher(Files.readString(launcher, StandardCharsets.UTF_8));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The bundle's content hash, shortened: the same files with the same content give the same name. */
    static String hash(Path bundle) throws IOException {
        MessageDigest digest = sha256();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(bundle)) {
            entries = walk.filter(p -> !p.equals(bundle)).sorted(Comparator.comparing(p -> relative(bundle, p)))
                    .toList();
        }
        for (Path entry : entries) {
            String name = relative(bundle, entry);
            if (Files.isSymbolicLink(entry)) {
                update(digest, "link", name, Files.readSymbolicLink(entry).toString());
            } else if (Files.isDirectory(entry)) {
                update(digest, "dir", name, "");
            } else {
                update(digest, Files.isExecutable(entry) ? "exec" : "file", name, Long.toString(Files.size(entry)));
                try (InputStream in = Files.newInputStream(entry);
                     OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                    in.transferTo(sink);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, HASH_CHARS);
    }

    private void copyAtomically(Path bundle, Path executables, Path folder) throws IOException {
        Path temporary = executables.resolve(TEMPORARY_PREFIX + Long.toUnsignedString(random.nextLong(), 36));
        try {
            copyTree(bundle, temporary);
            try {
                Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException another) {
                // Another IM installed the same version meanwhile: the same content.
            }
        } finally {
            deleteTree(temporary);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.toList();   // parents before children
        }
        for (Path entry : entries) {
            Path target = to.resolve(from.relativize(entry).toString());
            if (Files.isSymbolicLink(entry)) {
                Files.createSymbolicLink(target, Files.readSymbolicLink(entry));
            } else if (Files.isDirectory(entry)) {
                Files.createDirectories(target);
            } else {
                Files.copy(entry, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private void writeLauncher(Path launcher, String version) throws IOException {
        Path temporary = launcher.resolveSibling(TEMPORARY_PREFIX + "launcher-"
                + Long.toUnsignedString(random.nextLong(), 36));
        try {
            Files.writeString(temporary, launcherText(version), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temporary, LAUNCHER_MODE);
            Files.move(temporary, launcher, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Removes version folders that neither the new launcher nor the one before it names. */
    private static void removeVersionsExcept(Path executables, String current, String previous) throws IOException {
        for (Path version : children(executables)) {
            String name = version.getFileName().toString();
            if (name.startsWith(VERSION_PREFIX) && Files.isDirectory(version, LinkOption.NOFOLLOW_LINKS)
                    && !name.equals(current) && !name.equals(previous)) {
                deleteTree(version);
                log.info("Removed the guest agent {}, which no launcher names any more", name);
            }
        }
    }

    /** Temporary folders and files of installs that were cut off. */
    private static void removeLeftovers(Path executables) throws IOException {
        for (Path child : children(executables)) {
            if (child.getFileName().toString().startsWith(TEMPORARY_PREFIX)) {
                deleteTree(child);
            }
        }
    }

    private static List<Path> children(Path folder) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(children::add);
        }
        return children;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(root)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();   // children before parents
        }
        for (Path entry : entries) {
            Files.deleteIfExists(entry);
        }
    }

    private static String relative(Path root, Path entry) {
        return root.relativize(entry).toString().replace('\\', '/');
    }

    private static void update(MessageDigest digest, String kind, String name, String extra) {
        digest.update((kind + "\0" + name + "\0" + extra + "\0").getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
