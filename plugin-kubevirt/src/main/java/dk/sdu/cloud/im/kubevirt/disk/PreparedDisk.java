package dk.sdu.cloud.im.kubevirt.disk;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A job's finished disk.
 *
 * @param jobId         the job
 * @param disk          the {@code disk.img} file
 * @param alreadyThere  true when the disk existed before this call and was left untouched
 */
public record PreparedDisk(String jobId, Path disk, boolean alreadyThere) {
    public PreparedDisk {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(disk, "disk is null");
    }
}
