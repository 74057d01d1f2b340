package dk.sdu.cloud.im.kubevirt.lifecycle;

import dk.sdu.cloud.im.kubevirt.admission.GuestLayout;
import dk.sdu.cloud.im.kubevirt.admission.VmJobPlan;
import dk.sdu.cloud.im.kubevirt.admission.VmMount;
import dk.sdu.cloud.im.kubevirt.manifest.JobFolderFile;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Makes the folders a VM job's UCloud mounts point at, before its volumes do: the job folder's {@code config/}
 * ({@code /etc/ucloud}) and {@code work/} ({@code /work}), and {@code <mountPoint>/ucloud-exe}
 * ({@code /opt/ucloud}). Their PersistentVolumes are static and (for HostPath) have no {@code type}, so nothing
 * else creates them. Then writes the agent's {@code mounts.yml} into {@code config/}, when its content differs.
 *
 * <p>Folders it creates in the job folder are given to the guest user (uid/gid {@value GuestLayout#UCLOUD_UID})
 * where the IM may change owners (as root), so that the guest can write {@code /work}. A job folder,
 * {@code config/} or {@code work/} that is a symbolic link is refused (the job folder lies in the user's drive;
 * the IM, often root, must not write through a link the user made). {@code mounts.yml} is written to a
 * temporary file in {@code config/} and renamed over the old one, which replaces a link rather than following
 * it.
 */
final class JobFolders {
    private static final Logger log = LoggerFactory.getLogger(JobFolders.class);

    private final ProviderFileSystem fileSystem;
    private final AtomicBoolean ownerChangeRefusedLogged = new AtomicBoolean();

    JobFolders(ProviderFileSystem fileSystem) {
        this.fileSystem = requireNonNull(fileSystem, "fileSystem is null");
    }

    /**
     * Makes what is missing and writes {@code mounts.yml}.
     *
     * @throws UncheckedIOException with the path and the reason when a folder or the file cannot be made
     */
    void prepare(VmJobPlan plan, JobFolderFile mountsFile) {
        requireNonNull(plan, "plan is null");
        requireNonNull(mountsFile, "mountsFile is null");
        try {
            Path jobFolder = fileSystem.resolve(plan.jobFolder());
            refuseLink(jobFolder);
            if (!Files.isDirectory(jobFolder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(jobFolder);
                giveToGuestUser(jobFolder);
            }
            for (VmMount mount : plan.mounts(VmMount.Kind.UCLOUD)) {
                Path folder = fileSystem.resolve(mount.relativeFolder());
                if (folder.startsWith(jobFolder)) {
                    ensureJobSubfolder(folder);
                } else {
                    Files.createDirectories(folder);   // ucloud-exe: the operator's folder, shared by all jobs
                }
            }
            write(fileSystem.resolve(mountsFile.relativePath()), mountsFile.content());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the folders of job " + plan.jobId() + ": " + e, e);
        }
    }

    private void ensureJobSubfolder(Path folder) throws IOException {
        refuseLink(folder);
        if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(folder + " exists but is not a folder");
            }
            return;
        }
        Files.createDirectories(folder);
        giveToGuestUser(folder);
    }

    private static void write(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temporary, bytes);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void refuseLink(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException(path + " is a symbolic link; remove it to have the folder made");
        }
    }

    private void giveToGuestUser(Path folder) {
        try {
            Files.setAttribute(folder, "unix:uid", GuestLayout.UCLOUD_UID, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(folder, "unix:gid", GuestLayout.UCLOUD_UID, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not root (or no such attribute): the folder keeps the IM's owner, as UCloud/IM would leave it.
            if (ownerChangeRefusedLogged.compareAndSet(false, true)) {
                log.info("Cannot give job folders to uid {} ({}); they keep the IM's owner", GuestLayout.UCLOUD_UID,
                        e.toString());
            }
        }
    }
}
