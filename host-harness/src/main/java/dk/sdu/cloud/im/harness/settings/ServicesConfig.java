package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.List;

/**
 * {@code services}.
 *
 * @param type              the kind of cluster; only {@code Kubernetes}
 * @param fileSystem        the shared file system
 * @param sensitiveProjects projects whose data needs extra protection
 * @param compute           the compute service
 */
public record ServicesConfig(
        String type,
        FileSystemConfig fileSystem,
        List<String> sensitiveProjects,
        ComputeConfig compute
) implements ValidatedConfig {

    /** The only services type this IM implements. */
    public static final String KUBERNETES = "Kubernetes";

    @Override
    public List<ConfigProblem> validate() {
        if (!KUBERNETES.equals(type)) {
            return List.of(new ConfigProblem("type",
                    "must be '" + KUBERNETES + "' (the only services type this IM runs), got '" + type + "'"));
        }
        return List.of();
    }
}
