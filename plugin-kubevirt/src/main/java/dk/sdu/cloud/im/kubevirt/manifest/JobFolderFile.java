package dk.sdu.cloud.im.kubevirt.manifest;

import static java.util.Objects.requireNonNull;

/**
 * A file the IM writes on the provider file system for a job, e.g. the agent's {@code mounts.yml}.
 *
 * @param relativePath the file, relative to the provider file system's mount point
 * @param content      its text (UTF-8)
 */
public record JobFolderFile(String relativePath, String content) {
    public JobFolderFile {
        requireNonNull(relativePath, "relativePath is null");
        requireNonNull(content, "content is null");
    }
}
