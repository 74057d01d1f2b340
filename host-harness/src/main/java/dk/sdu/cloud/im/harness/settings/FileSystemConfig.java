package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code services.fileSystem}.
 *
 * @param mountPoint       where the IM sees the shared file system (absolute)
 * @param trashStagingArea where files of ended jobs go before deletion (absolute)
 * @param claimName        the PersistentVolumeClaim of the shared file system, if the cluster has one
 */
public record FileSystemConfig(String mountPoint, String trashStagingArea, Optional<String> claimName)
        implements ValidatedConfig {

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        checkAbsolute("mountPoint", mountPoint, problems);
        checkAbsolute("trashStagingArea", trashStagingArea, problems);
        claimName.filter(String::isBlank)
                .ifPresent(name -> problems.add(new ConfigProblem("claimName", "must not be empty when given")));
        return problems;
    }

    static void checkAbsolute(String key, String path, List<ConfigProblem> problems) {
        if (path == null) {
            return; // reported as missing already; the other key's checks still run
        }
        if (!path.startsWith("/")) {
            problems.add(new ConfigProblem(key, "must be an absolute path, got '" + path + "'"));
        } else if (List.of(path.split("/")).contains("..")) {
            problems.add(new ConfigProblem(key, "must not contain '..', got '" + path + "'"));
        }
    }
}
