package dk.sdu.cloud.im.kubevirt.testing;

import dk.sdu.cloud.im.spi.host.ProviderFileSystem;
import dk.sdu.cloud.im.spi.job.Job;

import java.nio.file.Path;

/**
 * A provider file system for tests: jobs' folders as UCloud/IM lays them out, and UCloud paths
 * {@code /<drive>/<rest>} resolved to {@code drives/<drive>/<rest>}.
 */
public final class TestFileSystem implements ProviderFileSystem {
    private final Path mountPoint;

    public TestFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    @Override
    public Path mountPoint() {
        return mountPoint;
    }

    @Override
    public Path trashStagingArea() {
        return mountPoint.resolve("trash");
    }

    @Override
    public String jobFolder(Job job) {
        String user = job.owner() == null ? "unknown" : job.owner().createdBy();
        return job.owner() != null && job.owner().projectId().isPresent()
                ? "projects/" + job.owner().projectId().get() + "/Members' Files/" + user
                + "/Jobs/VirtualMachines/" + job.id()
                : "home/" + user + "/Jobs/VirtualMachines/" + job.id();
    }

    @Override
    public String resolveUCloudPath(String ucloudPath) {
        if (ucloudPath == null || !ucloudPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute UCloud path: " + ucloudPath);
        }
        String trimmed = ucloudPath.replaceAll("/+$", "");
        String[] parts = trimmed.substring(1).split("/", -1);
        if (parts.length == 0 || !parts[0].matches("[0-9]+")) {
            throw new IllegalArgumentException("no drive in UCloud path: " + ucloudPath);
        }
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid UCloud path: " + ucloudPath);
            }
        }
        return "drives/" + String.join("/", parts);
    }
}
