package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.store.KnownDrive;
import dk.sdu.cloud.im.spi.host.HostServiceUnavailableException;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Makes sure UCloud/Core knows the drive of a workspace's member files ({@code h-<user>}, or
 * {@code pm-<project>/<user>} in a project), which holds the workspace's job folders, as UCloud's IM does
 * before it lays out a job folder: the drive is looked up by its {@code providerGeneratedId} in the drives this
 * IM knows (UCloud's IM looks only in its own table of tracked drives), and registered with Core when it is not
 * there. This IM's table starts empty where UCloud's IM ran before, so when Core answers a registration with
 * 409 (it has that id), the drive is found through Core's browse by {@code filterProviderIds} instead. Either
 * way the drive is kept, so it is registered at most once.
 *
 * <p>Lookups of one drive wait for each other (a lock per {@code providerGeneratedId}, held across Core's
 * calls), so two jobs of a new user register the drive once; jobs of other workspaces do not wait.
 */
public final class MemberFilesDrives {
    private final DriveCache drives;
    private final CoreDrives core;
    private final String fileSystemName;
    private final String providerId;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /**
     * @param fileSystemName {@code services.fileSystem.name}: the category (and a home's product) of the drives
     * @param providerId     this provider's id ({@code provider.id})
     */
    public MemberFilesDrives(DriveCache drives, CoreDrives core, String fileSystemName, String providerId) {
        this.drives = requireNonNull(drives, "drives is null");
        this.core = requireNonNull(core, "core is null");
        this.fileSystemName = requireNonNull(fileSystemName, "fileSystemName is null");
        this.providerId = requireNonNull(providerId, "providerId is null");
    }

    /**
     * The member-files drive of {@code user} (in {@code project}), registered with Core when neither this IM nor
     * Core knows it.
     *
     * @throws IllegalArgumentException        when the user or project cannot be a folder name
     * @throws HostServiceUnavailableException when Core must be asked and does not answer now
     */
    public KnownDrive ensure(String user, Optional<String> project) {
        DriveDescriptor.MemberFilesDrive descriptor = DriveDescriptor.memberFilesOf(user, project);
        String providerGeneratedId = descriptor.providerGeneratedId().orElseThrow();
        Optional<KnownDrive> known = drives.byProviderGeneratedId(providerGeneratedId);
        if (known.isPresent()) {
            return known.get();
        }
        ReentrantLock lock = locks.computeIfAbsent(providerGeneratedId, id -> new ReentrantLock());
        lock.lock();
        try {
            known = drives.byProviderGeneratedId(providerGeneratedId);
            if (known.isPresent()) {
                return known.get();
            }
            KnownDrive drive = core.register(descriptor, fileSystemName, providerId)
                    .or(() -> core.findByProviderGeneratedId(providerGeneratedId))
                    .orElseThrow(() -> new HostServiceUnavailableException("UCloud/Core says it has the drive "
                            + providerGeneratedId + " already (409 to its registration) but does not find it by"
                            + " that id; try again later", null));
            drives.remember(drive);
            return drive;
        } finally {
            lock.unlock();
            locks.remove(providerGeneratedId, lock);
        }
    }
}
