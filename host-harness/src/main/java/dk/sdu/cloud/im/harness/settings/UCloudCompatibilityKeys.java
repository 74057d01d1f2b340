package dk.sdu.cloud.im.harness.settings;

import com.fasterxml.jackson.annotation.JsonProperty;
import dk.sdu.cloud.im.spi.config.ConfigDefault;
import dk.sdu.cloud.im.spi.config.ConfigProblem;
import dk.sdu.cloud.im.spi.config.ValidatedConfig;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of UCloud/IM's {@code config.yml} that this IM accepts so that a working UCloud configuration
 * can be moved over unchanged, but that have no effect here yet (which ones, and why, is
 * {@link KeysWithoutEffect}). Each record is bound at its path beside the host's own record of that path,
 * so a typo is still an unknown key. Their rules are UCloud/IM's where they are cheap to check (a missing
 * {@code prefix} of an enabled {@code web}, an invalid IP address, ...); file-system paths in them are not
 * checked to exist, since nothing here uses them. Sections whose errors UCloud/IM does not treat as fatal
 * ({@code providerBranding}) or that are free-form there ({@code ucx}, the inside of {@code inference}) are
 * taken as they are.
 */
public final class UCloudCompatibilityKeys {
    /** Where {@link Provider} is bound. */
    public static final String PROVIDER_PATH = "provider";
    /** Where {@link Services} is bound. */
    public static final String SERVICES_PATH = "services";
    /** Where {@link FileSystem} is bound. */
    public static final String FILE_SYSTEM_PATH = "services.fileSystem";
    /** Where {@link Compute} is bound. */
    public static final String COMPUTE_PATH = "services.compute";

    private UCloudCompatibilityKeys() {
    }

    /**
     * UCloud/IM's keys of {@code provider} beside {@code id}.
     *
     * @param providerBranding the provider's branding in UCloud's web interface (free-form here)
     * @param jobAuditLog      retention of the job audit log
     * @param ipc              the IM's inter-process communication directory
     * @param logs             the IM's log files
     * @param envoy            UCloud/IM's gateway
     * @param profiler         Go's profiler
     * @param maintenance      maintenance mode
     */
    public record Provider(
            Optional<JsonNode> providerBranding,
            Optional<JobAuditLog> jobAuditLog,
            Optional<Directory> ipc,
            Optional<Logs> logs,
            Optional<Envoy> envoy,
            Optional<Profiler> profiler,
            Optional<Maintenance> maintenance
    ) {
    }

    /** @param retentionPeriodInDays days audit files are kept (UCloud/IM's default 0: today's only) */
    public record JobAuditLog(Optional<Integer> retentionPeriodInDays) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            return retentionPeriodInDays.filter(d -> d < 0)
                    .map(d -> List.of(new ConfigProblem("retentionPeriodInDays", "must not be negative, got " + d)))
                    .orElse(List.of());
        }
    }

    /** @param directory a directory of UCloud/IM (not checked to exist: this IM does not use it) */
    public record Directory(String directory) {
    }

    /**
     * @param directory    where UCloud/IM writes its logs
     * @param serverStdOut whether the server logs to standard output
     * @param rotation     daily rotation
     */
    public record Logs(String directory, @ConfigDefault("false") boolean serverStdOut, Optional<Rotation> rotation) {
    }

    /**
     * @param enabled               whether logs rotate daily
     * @param retentionPeriodInDays days rotated logs are kept; positive, required when enabled
     */
    public record Rotation(@ConfigDefault("false") boolean enabled, Optional<Integer> retentionPeriodInDays)
            implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            if (enabled && retentionPeriodInDays.filter(d -> d > 0).isEmpty()) {
                return List.of(new ConfigProblem("retentionPeriodInDays", "must be given and greater than 0 when "
                        + "rotation.enabled is true" + retentionPeriodInDays.map(d -> ", got " + d).orElse("")));
            }
            return List.of();
        }
    }

    /** How UCloud/IM's gateway listens for its configuration. */
    public enum ListenMode {
        @JsonProperty("Unix") UNIX,
        @JsonProperty("Tcp") TCP
    }

    /**
     * UCloud/IM's Envoy gateway, with its rules: {@code executable} unless managed externally; {@code directory}
     * unless managed externally and listening on TCP.
     *
     * @param directory                 Envoy's state directory
     * @param managedExternally         whether Envoy runs elsewhere
     * @param listenMode                where its configuration server listens (default {@code Unix})
     * @param executable                the Envoy binary, when UCloud/IM starts it
     * @param funceWrapper              a wrapper UCloud/IM may start Envoy through
     * @param internalAddressToProvider the address Envoy reaches the IM at
     */
    public record Envoy(
            Optional<String> directory,
            @ConfigDefault("false") boolean managedExternally,
            @ConfigDefault("Unix") ListenMode listenMode,
            Optional<String> executable,
            @ConfigDefault("false") boolean funceWrapper,
            Optional<String> internalAddressToProvider
    ) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            List<ConfigProblem> problems = new ArrayList<>();
            if (!managedExternally && executable.isEmpty()) {
                problems.add(new ConfigProblem("executable", "is required unless managedExternally is true"));
            }
            if (directory.isEmpty() && !(managedExternally && listenMode == ListenMode.TCP)) {
                problems.add(new ConfigProblem("directory", "is required unless managedExternally is true and "
                        + "listenMode is Tcp"));
            }
            return problems;
        }
    }

    /**
     * @param enabled whether the profiler runs (required in the section)
     * @param port    its port, required when enabled
     */
    public record Profiler(boolean enabled, Optional<Integer> port) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            if (enabled && port.isEmpty()) {
                return List.of(new ConfigProblem("port", "is required when profiler.enabled is true"));
            }
            return port.filter(p -> p < 1 || p > 65535)
                    .map(p -> List.of(new ConfigProblem("port", "must be a port between 1 and 65535, got " + p)))
                    .orElse(List.of());
        }
    }

    /**
     * @param enabled   whether only {@code allowList} may use the provider (required in the section)
     * @param allowList the UCloud users still let in
     */
    public record Maintenance(boolean enabled, List<String> allowList) {
    }

    /**
     * UCloud/IM's keys of {@code services} beside the host's.
     *
     * @param unmanaged        UCloud/IM's flag for a provider whose users it does not manage
     * @param taskNamespace    where UCloud/IM runs its file-system tasks (a DNS label)
     * @param taskNodeSelector the node selector of those tasks
     */
    public record Services(
            @ConfigDefault("false") boolean unmanaged,
            Optional<String> taskNamespace,
            Map<String, String> taskNodeSelector
    ) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            return taskNamespace.filter(n -> !DnsLabels.isDnsLabel(n))
                    .map(n -> List.of(new ConfigProblem("taskNamespace", ServicesConfig.notADnsLabel(n))))
                    .orElse(List.of());
        }
    }

    /**
     * UCloud/IM's keys of {@code services.fileSystem} beside the host's.
     *
     * @param scanMethod      how storage use is measured
     * @param metadataCatalog UCloud/IM's metadata catalog
     */
    public record FileSystem(Optional<ScanMethod> scanMethod,
                             Optional<MetadataCatalog> metadataCatalog) {
    }

    /** How UCloud/IM measures storage use. */
    public enum ScanType {
        @JsonProperty("Walk") WALK,
        @JsonProperty("Xattr") XATTR,
        @JsonProperty("Development") DEVELOPMENT
    }

    /**
     * @param type  how storage use is measured
     * @param xattr the extended attribute holding a folder's size, required for {@code Xattr}
     */
    public record ScanMethod(ScanType type, Optional<String> xattr) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            if (type == ScanType.XATTR && xattr.filter(x -> !x.isBlank()).isEmpty()) {
                return List.of(new ConfigProblem("xattr", "is required when scanMethod.type is Xattr"));
            }
            return List.of();
        }
    }

    /**
     * UCloud/IM's metadata catalog, with its limits.
     *
     * @param enabled           whether it runs
     * @param enableIntegration whether search, sizes and accounting use it
     * @param iops              its I/O budget; positive
     * @param parallelScans     parallel scans; at least 2
     * @param entriesPerSSTable entries per table file; at least 10000
     */
    public record MetadataCatalog(
            Optional<Boolean> enabled,
            Optional<Boolean> enableIntegration,
            @ConfigDefault("45000") int iops,
            @ConfigDefault("8") int parallelScans,
            @ConfigDefault("16384") int entriesPerSSTable
    ) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            List<ConfigProblem> problems = new ArrayList<>();
            if (iops <= 0) {
                problems.add(new ConfigProblem("iops", "must be greater than 0, got " + iops));
            }
            if (parallelScans < 2) {
                problems.add(new ConfigProblem("parallelScans", "must be at least 2, got " + parallelScans));
            }
            if (entriesPerSSTable < 10000) {
                problems.add(new ConfigProblem("entriesPerSSTable", "must be at least 10000, got " + entriesPerSSTable));
            }
            return problems;
        }
    }

    /**
     * UCloud/IM's keys of {@code services.compute} beside the host's.
     *
     * @param estimatedContainerDownloadSpeed MB/s, for image-pull progress
     * @param machineImpersonation            category to the category whose queue it uses
     * @param modules                         read-only software volumes for containers, by name
     * @param syncthing                       the Syncthing integration
     * @param integratedTerminal              the integrated terminal product
     * @param inference                       UCloud/IM's inference service
     * @param ucx                             UCloud/IM's UCX applications (free-form here)
     */
    public record Compute(
            Optional<Double> estimatedContainerDownloadSpeed,
            Map<String, String> machineImpersonation,
            Map<String, Module> modules,
            Optional<Syncthing> syncthing,
            Optional<Toggle> integratedTerminal,
            Optional<Inference> inference,
            Optional<JsonNode> ucx
    ) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            return estimatedContainerDownloadSpeed.filter(s -> s <= 0)
                    .map(s -> List.of(new ConfigProblem("estimatedContainerDownloadSpeed", "must be greater than 0, got " + s)))
                    .orElse(List.of());
        }
    }

    /**
     * @param subPath   the module's folder inside the volume
     * @param claimName the volume's PersistentVolumeClaim (this or {@code hostPath})
     * @param hostPath  the volume's host path (this or {@code claimName})
     */
    public record Module(String subPath, Optional<String> claimName, Optional<String> hostPath)
            implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            if (claimName.isPresent() == hostPath.isPresent()) {
                return List.of(new ConfigProblem("claimName", "give exactly one of claimName and hostPath"));
            }
            return List.of();
        }
    }

    /**
     * UCloud/IM's Syncthing integration, with its rules when enabled: an IP address and ports in 1..65534.
     *
     * @param enabled               whether it is offered
     * @param ipAddress             the address its services listen on
     * @param portMin               the first port
     * @param portMax               the end of the port range
     * @param relaysEnabled         whether Syncthing relays are allowed
     * @param developmentSourceCode development only
     */
    public record Syncthing(
            @ConfigDefault("false") boolean enabled,
            Optional<String> ipAddress,
            Optional<Integer> portMin,
            Optional<Integer> portMax,
            @ConfigDefault("false") boolean relaysEnabled,
            Optional<String> developmentSourceCode
    ) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            List<ConfigProblem> problems = new ArrayList<>();
            if (!enabled) {
                return problems;
            }
            IpLiterals.requiredAddress(ipAddress, "syncthing").ifPresent(problems::add);
            for (Map.Entry<String, Optional<Integer>> port : Map.of("portMin", portMin, "portMax", portMax).entrySet()) {
                if (port.getValue().isEmpty()) {
                    problems.add(new ConfigProblem(port.getKey(), "is required when syncthing.enabled is true"));
                } else if (port.getValue().get() < 1 || port.getValue().get() > 65534) {
                    problems.add(new ConfigProblem(port.getKey(), "must be between 1 and 65534, got " + port.getValue().get()));
                }
            }
            return problems;
        }
    }

    /** @param enabled whether the feature is on */
    public record Toggle(@ConfigDefault("false") boolean enabled) {
    }

    /**
     * UCloud/IM's inference service. As there, nothing but {@code enabled} is looked at when it is false.
     *
     * @param enabled             required in the section
     * @param provider            {@code development} (default) or {@code dynamo}
     * @param development         the development back end
     * @param developmentProvider the development back end's old key
     * @param backendServer       the development back end's old key
     * @param dynamo              the Dynamo back end
     * @param access              who may use it
     */
    public record Inference(
            boolean enabled,
            Optional<String> provider,
            Optional<JsonNode> development,
            Optional<String> developmentProvider,
            Optional<String> backendServer,
            Optional<JsonNode> dynamo,
            Optional<JsonNode> access
    ) implements ValidatedConfig {
        @Override
        public List<ConfigProblem> validate() {
            String kind = provider.orElse("development");
            if (enabled && !kind.equals("development") && !kind.equals("dynamo")) {
                return List.of(new ConfigProblem("provider", "must be 'development' or 'dynamo', got '" + kind + "'"));
            }
            if (enabled && kind.equals("dynamo") && dynamo.map(d -> d.path("namespace").asString("")).filter(n -> !n.isBlank()).isEmpty()) {
                return List.of(new ConfigProblem("dynamo.namespace", "is required when inference.provider is dynamo"));
            }
            return List.of();
        }
    }
}
