package dk.sdu.cloud.im.harness.drives;

import dk.sdu.cloud.im.harness.core.CoreTransport;
import dk.sdu.cloud.im.harness.store.DriveTable;
import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.Job;
import dk.sdu.cloud.im.harness.fs.JobFolderOwner;

import java.nio.file.Path;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * {@code services.fileSystem} as UCloud's IM lays it out, with drives as UCloud/Core knows them.
 *
 * <p>A job's folder is {@code <member files>/Jobs/VirtualMachines/<job id>}, where the member files are the
 * owner's drive {@code h-<user>} ({@code home/<user>}) or, in a project, {@code pm-<project>/<user>}
 * ({@code projects/<project>/Members' Files/<user>}); that drive is registered with Core when Core does not
 * know it ({@link MemberFilesDrives}). A UCloud path is mapped through its drive ({@link DriveLocator}). Names
 * are checked before Core is asked anything, so a bad name costs no call.
 */
public final class CoreProviderFileSystem implements ProviderFileSystem {
    private final Path mountPoint;
    private final Path trashStagingArea;
    private final DriveLocator locator;
    private final MemberFilesDrives memberFiles;

    /**
     * @param mountPoint       absolute
     * @param trashStagingArea absolute
     */
    public CoreProviderFileSystem(Path mountPoint, Path trashStagingArea, DriveLocator locator,
                                  MemberFilesDrives memberFiles) {
        this.mountPoint = requireNonNull(mountPoint, "mountPoint is null");
        this.trashStagingArea = requireNonNull(trashStagingArea, "trashStagingArea is null");
        this.locator = requireNonNull(locator, "locator is null");
        this.memberFiles = requireNonNull(memberFiles, "memberFiles is null");
        if (!mountPoint.isAbsolute() || !trashStagingArea.isAbsolute()) {
            throw new IllegalArgumentException("mountPoint and trashStagingArea must be absolute");
        }
    }

    /**
     * The file system of a serving IM: drives kept in {@code table} (the job store's), asked of Core through
     * {@code core} on a miss.
     *
     * @param fileSystemName {@code services.fileSystem.name}, the product category of member-files drives
     * @param providerId     {@code provider.id}
     */
    public static CoreProviderFileSystem create(Path mountPoint, Path trashStagingArea, CoreTransport core,
                                                DriveTable table, String fileSystemName, String providerId,
                                                Clock clock) {
        CoreDrives calls = new CoreDrives(core, clock);
        DriveCache drives = new DriveCache(table, calls);
        return new CoreProviderFileSystem(mountPoint, trashStagingArea, new DriveLocator(drives, calls, clock),
                new MemberFilesDrives(drives, calls, fileSystemName, providerId));
    }

    @Override
    public Path mountPoint() {
        return mountPoint;
    }

    @Override
    public Path trashStagingArea() {
        return trashStagingArea;
    }

    @Override
    public String jobFolder(Job job) {
        JobFolderOwner owner = JobFolderOwner.of(job);
        DriveDescriptor.MemberFilesDrive drive = DriveDescriptor.memberFilesOf(owner.user(), owner.project());
        String driveId = memberFiles.ensure(owner.user(), owner.project()).id();
        return drive.folder(driveId) + "/" + owner.folderInMemberFiles();
    }

    @Override
    public String resolveUCloudPath(String ucloudPath) {
        return locator.folderOf(requireNonNull(ucloudPath, "ucloudPath is null"));
    }
}
