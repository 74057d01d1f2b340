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
     * project job.
     */
    String jobFolder(Job job);

    /**
     * The folder behind a UCloud path such as {@code /17/Data} (drive 17), relative to the mount point.
     *
     * @throws IllegalArgumentException when the path is not a valid UCloud path
     */
    String resolveUCloudPath(String ucloudPath);

    /** An absolute path on the IM's side for a relative one. */
    default Path resolve(String relative) {
        return mountPoint().resolve(relative);
    }
}
