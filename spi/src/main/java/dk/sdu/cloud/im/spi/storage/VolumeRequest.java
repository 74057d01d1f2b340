package dk.sdu.cloud.im.spi.storage;

import static java.util.Objects.requireNonNull;

/**
 * A folder of the provider file system that a job needs as a volume.
 *
 * @param volumeName     the name of the PersistentVolume to describe, e.g. {@code vm-4242-0}; also unique
 *                       enough to serve as a CSI volume handle
 * @param jobId          the job
 * @param rank           the job's rank (0 for virtual machines)
 * @param capacityGiB    the capacity to state on the volume, in GiB
 * @param relativeFolder the folder, relative to {@code services.fileSystem.mountPoint}, using {@code /},
 *                       never starting with {@code /} and never containing {@code ..}
 * @param readOnly       whether the job only reads the folder
 */
public record VolumeRequest(
        String volumeName,
        String jobId,
        int rank,
        long capacityGiB,
        String relativeFolder,
        boolean readOnly
) {
    public VolumeRequest {
        requireNonNull(volumeName, "volumeName is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(relativeFolder, "relativeFolder is null");
        if (relativeFolder.startsWith("/")) {
            throw new IllegalArgumentException("relativeFolder must be relative: " + relativeFolder);
        }
        for (String part : relativeFolder.split("/")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException("relativeFolder must not contain '..': " + relativeFolder);
            }
        }
        if (capacityGiB <= 0) {
            throw new IllegalArgumentException("capacityGiB must be positive: " + capacityGiB);
        }
    }
}
