package dk.sdu.cloud.im.harness.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The demo's temporary folder: {@code fs/} is the provider file system (with the folders the job mounts and
 * the trash staging area), {@code image/} holds the disk image it serves, {@code state/} the IM's data (with
 * {@code state/core/}, Core's key pair for the provider: the demo plays Core), and {@code config.yaml} the IM's
 * configuration.
 */
final class DemoWorkspace {
    private final Path root;

    private DemoWorkspace(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    /** Makes a new workspace below the system's temporary folder. */
    static DemoWorkspace create() {
        try {
            DemoWorkspace workspace = new DemoWorkspace(Files.createTempDirectory("ucloud-im-demo-"));
            Files.createDirectories(workspace.trash());
            Files.createDirectories(workspace.image());
            return workspace;
        } catch (IOException e) {
            throw new DemoFailure("cannot make the demo's temporary folder: " + e, e);
        }
    }

    Path root() {
        return root;
    }

    Path fileSystem() {
        return root.resolve("fs");
    }

    Path trash() {
        return fileSystem().resolve("trash");
    }

    Path image() {
        return root.resolve("image");
    }

    /** The IM's data directory ({@code harness.dataDirectory}). */
    Path dataDirectory() {
        return root.resolve("state");
    }

    Path config() {
        return root.resolve("config.yaml");
    }

    /** Makes folders of the provider file system (relative to its mount point). */
    void makeFolders(List<String> relative) {
        try {
            for (String folder : relative) {
                Files.createDirectories(fileSystem().resolve(folder));
            }
        } catch (IOException e) {
            throw new DemoFailure("cannot make the job's folders: " + e, e);
        }
    }

    /** Deletes the workspace and everything in it. */
    void delete() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's temporary folder " + root, e);
        }
    }
}
