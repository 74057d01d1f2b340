package dk.sdu.cloud.im.storage.hostpath;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ConfigSection;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code services.compute.virtualMachines.storage} when its type is {@code HostPath}.
 *
 * @param hostPath where every node sees the provider file system's mount point, e.g. {@code /mnt/ucloud}
 */
@ConfigSection("services.compute.virtualMachines.storage")
public record HostPathStorageConfig(String hostPath) implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (hostPath != null && !hostPath.startsWith("/")) {
            problems.add(new ConfigProblem("hostPath", "must be an absolute path, got '" + hostPath + "'"));
        }
        if (hostPath != null && List.of(hostPath.split("/")).contains("..")) {
            problems.add(new ConfigProblem("hostPath", "must not contain '..', got '" + hostPath + "'"));
        }
        return problems;
    }
}
