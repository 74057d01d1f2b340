package dk.sdu.cloud.im.agent.mounts;

import static java.util.Objects.requireNonNull;

import dk.sdu.cloud.im.agent.guest.GuestLayout;
import dk.sdu.cloud.im.agent.mounts.MountResult.Outcome;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * A simulated guest's "mounts": the guest path becomes a symbolic link to the host folder that the simulator
 * named for the tag ({@code simulated-tags.json}). Nothing can make a link read-only, so a read-only entry
 * says so in its message.
 */
public final class SimulatedMounter implements Mounter {
    static final String READ_ONLY_NOTE = "simulated guest: a symbolic link, read-only is not enforced";

    private final GuestLayout layout;
    private final Map<String, Path> hostFolderByTag;

    public SimulatedMounter(GuestLayout layout, Map<String, Path> hostFolderByTag) {
        this.layout = requireNonNull(layout, "layout is null");
        this.hostFolderByTag = Map.copyOf(hostFolderByTag);
    }

    @Override
    public MountResult mount(MountEntry entry) {
        var problem = MountEntryCheck.problem(entry);
        if (problem.isPresent()) {
            return MountResult.of(entry, Outcome.FAILED, problem.get());
        }
        var target = hostFolderByTag.get(entry.tag());
        if (target == null) {
            return MountResult.of(entry, Outcome.FAILED, "simulated guest: no host folder for tag " + entry.tag());
        }
        var link = layout.resolve(entry.path());
        try {
            if (Files.isSymbolicLink(link)) {
                return MountResult.of(entry, Outcome.ALREADY_MOUNTED, "");
            }
            Files.createDirectories(link.getParent());
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                // An empty folder is a mount point waiting for its mount; anything in it would be hidden.
                Files.delete(link);
            }
            Files.createSymbolicLink(link, target);
            return MountResult.of(entry, Outcome.MOUNTED, entry.readOnly() ? READ_ONLY_NOTE : "");
        } catch (DirectoryNotEmptyException e) {
            return MountResult.of(entry, Outcome.FAILED, "simulated guest: " + entry.path() + " is a folder that is not empty");
        } catch (IOException e) {
            return MountResult.of(entry, Outcome.FAILED, "simulated guest: " + e);
        }
    }
}
