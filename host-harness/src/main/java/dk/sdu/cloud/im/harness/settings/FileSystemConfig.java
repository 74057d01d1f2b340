package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigDefault;
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
 * @param name             the storage product (and its category) of the file system's drives, as registered with
 *                         UCloud/Core: the product of the member-files drives the IM registers (UCloud requires
 *                         the key; here it defaults to {@value #DEFAULT_NAME})
 */
public record FileSystemConfig(String mountPoint, String trashStagingArea, Optional<String> claimName,
                               @ConfigDefault(DEFAULT_NAME) String name)
        implements ValidatedConfig {
    /** The storage product's name when {@code name} is not set (UCloud's example uses it too). */
    public static final String DEFAULT_NAME = "storage";

    /** Without {@code name}: {@value #DEFAULT_NAME}. */
    public FileSystemConfig(String mountPoint, String trashStagingArea, Optional<String> claimName) {
        this(mountPoint, trashStagingArea, claimName, DEFAULT_NAME);
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        checkAbsolute("mountPoint", mountPoint, problems);
        checkAbsolute("trashStagingArea", trashStagingArea, problems);
        claimName.filter(String::isBlank)
                .ifPresent(claim -> problems.add(new ConfigProblem("claimName", "must not be empty when given")));
        if (name != null && (name.isBlank() || !name.equals(name.strip()))) {
            problems.add(new ConfigProblem("name", "must be a product name without surrounding spaces, got '" + name
                    + "'"));
        }
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
