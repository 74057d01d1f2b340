package dk.sdu.cloud.im.harness.fs;

import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.Job;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * {@code services.fileSystem} with UCloud/IM's folder layout: a personal job's folder is
 * {@code home/<user>/Jobs/VirtualMachines/<job id>}, a project job's is
 * {@code projects/<project>/Members' Files/<user>/Jobs/VirtualMachines/<job id>}.
 *
 * <p>UCloud paths ({@code /<drive id>/<folders>}) map to {@code collections/<drive id>/<folders>}, as if every
 * drive were a collection. This is the file system of the commands that contact no UCloud/Core ({@code render},
 * {@code config check}, {@code plugins}); a serving IM asks Core which folder a drive is
 * ({@code dk.sdu.cloud.im.harness.drives.CoreProviderFileSystem}). Every name that becomes a path segment is
 * checked so that no job can reach outside its folder ({@link FolderNames}): no empty segments, no {@code .} or
 * {@code ..}, no control characters.
 */
public final class ConfiguredProviderFileSystem implements ProviderFileSystem {
    private final Path mountPoint;
    private final Path trashStagingArea;

    /**
     * @param mountPoint       absolute
     * @param trashStagingArea absolute
     */
    public ConfiguredProviderFileSystem(Path mountPoint, Path trashStagingArea) {
        this.mountPoint = requireNonNull(mountPoint, "mountPoint is null");
        this.trashStagingArea = requireNonNull(trashStagingArea, "trashStagingArea is null");
        if (!mountPoint.isAbsolute() || !trashStagingArea.isAbsolute()) {
            throw new IllegalArgumentException("mountPoint and trashStagingArea must be absolute");
        }
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
        String jobs = owner.user() + "/" + owner.folderInMemberFiles();
        return owner.project().map(project -> "projects/" + project + "/Members' Files/" + jobs)
                .orElse("home/" + jobs);
    }

    @Override
    public String resolveUCloudPath(String ucloudPath) {
        requireNonNull(ucloudPath, "ucloudPath is null");
        if (!ucloudPath.startsWith("/")) {
            throw new IllegalArgumentException("a UCloud path starts with '/<drive id>', got '" + ucloudPath + "'");
        }
        String[] parts = ucloudPath.substring(1).split("/", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("a UCloud path names a drive first ('/<drive id>/...'), got '"
                    + ucloudPath + "'");
        }
        StringBuilder folder = new StringBuilder("collections");
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("a UCloud path may not have empty, '.' or '..' segments, got '"
                        + ucloudPath + "'");
            }
            FolderNames.problem(part).ifPresent(problem -> {
                throw new IllegalArgumentException("a part of a UCloud path " + problem + ", got '"
                        + FolderNames.printable(ucloudPath) + "'");
            });
            folder.append('/').append(part);
        }
        return folder.toString();
    }
}
