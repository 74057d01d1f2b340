package dk.sdu.cloud.im.spi.host;

import dk.sdu.cloud.im.spi.job.Job;

import java.nio.file.Path;

/**
 * The provider's shared file system as the IM sees it ({@code services.fileSystem}).
 *
 * <p>Paths named "relative" are relative to {@link #mountPoint()} and use {@code /}; storage backends turn
 * them into volumes, so they must never start with {@code /} nor contain {@code ..}.
 */
public interface ProviderFileSystem {

    /** Where the IM sees the shared file system, e.g. {@code /mnt/ucloud}. */
    Path mountPoint();

    /** Where files of ended jobs are moved before they are deleted. */
    Path trashStagingArea();

    /**
     * The job's own folder, relative to the mount point: {@code home/<user>/Jobs/VirtualMachines/<id>} for a
     * personal job, {@code projects/<project>/Members' Files/<user>/Jobs/VirtualMachines/<id>} for a
     * project job. The folder above {@code Jobs} is the owner's member-files drive; a host that works with
     * UCloud/Core makes sure Core knows that drive (registering it once) before it answers.
     *
     * @throws IllegalArgumentException         when the job's id or owner cannot name folders
     * @throws HostServiceUnavailableException when the drive must be registered and Core does not answer now
     */
    String jobFolder(Job job);

    /**
     * The folder behind a UCloud path such as {@code /17/Data} (drive 17), relative to the mount point. Which
     * folder a drive is comes from the drive's {@code providerGeneratedId} as Core knows it (a home folder, a
     * project's folder, a member's files, a share of another folder, a collection); a host may keep what it
     * learnt, so that only a drive it has not seen costs a call to Core.
     *
     * @throws IllegalArgumentException         when the path is not a valid UCloud path, names a drive (or a
     *                                          share) Core does not know, or leaves its drive
     * @throws HostServiceUnavailableException when the drive is not known here and Core does not answer now;
     *                                          a plugin lets it pass, the host answers the request with 503
     */
    String resolveUCloudPath(String ucloudPath);

    /** An absolute path on the IM's side for a relative one. */
    default Path resolve(String relative) {
        return mountPoint().resolve(relative);
    }
}
