package dk.sdu.cloud.im.harness.settings;

import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code services}.
 *
 * @param type              the kind of cluster; only {@code Kubernetes}
 * @param namespace         the namespace jobs run in (a DNS label), where UCloud/IM reads it; this IM also
 *                          reads {@code services.compute.namespace} (both may be given only when equal)
 * @param fileSystem        the shared file system
 * @param sensitiveProjects projects whose data needs extra protection
 * @param compute           the compute service
 */
public record ServicesConfig(
        String type,
        Optional<String> namespace,
        FileSystemConfig fileSystem,
        List<String> sensitiveProjects,
        ComputeConfig compute
) implements ValidatedConfig {

    /** The only services type this IM implements. */
    public static final String KUBERNETES = "Kubernetes";

    /** The jobs' namespace when neither key gives one (UCloud/IM's default). */
    public static final String DEFAULT_NAMESPACE = "ucloud-apps";

    /** {@code services.namespace}, else {@code services.compute.namespace}, else {@value #DEFAULT_NAMESPACE}. */
    public String effectiveNamespace() {
        return namespace.or(() -> compute == null ? Optional.empty() : compute.namespace()).orElse(DEFAULT_NAMESPACE);
    }

    @Override
    public List<ConfigProblem> validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!KUBERNETES.equals(type)) {
            problems.add(new ConfigProblem("type",
                    "must be '" + KUBERNETES + "' (the only services type this IM runs), got '" + type + "'"));
        }
        namespace.filter(n -> !DnsLabels.isDnsLabel(n))
                .ifPresent(n -> problems.add(new ConfigProblem("namespace", notADnsLabel(n))));
        if (namespace.isPresent() && compute != null && compute.namespace().isPresent()
                && !namespace.get().equals(compute.namespace().get())) {
            problems.add(new ConfigProblem("namespace", "is '" + namespace.get() + "' but services.compute.namespace is '"
                    + compute.namespace().get() + "': give the jobs' namespace once, as services.namespace (where "
                    + "UCloud's IM reads it), or make both the same"));
        }
        return problems;
    }

    static String notADnsLabel(String namespace) {
        return "must be a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, "
                + "at most 63 characters), got '" + namespace + "'";
    }
}
