package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.harness.startup.StartupTrace;
import dk.sdu.cloud.im.harness.settings.HarnessKubernetesConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Connects as {@code harness.kubernetes.mode} says: {@code kubeconfig} and {@code in-cluster} build a fabric8
 * client (JDK HTTP client) and check the cluster once ({@link ClusterProbe}), failing fast with the reason;
 * {@code embedded} starts the in-process simulation.
 */
public final class StandardClusterConnector implements ClusterConnector {
    private static final Logger LOG = LoggerFactory.getLogger(StandardClusterConnector.class);

    private final Map<String, String> environment;
    private final Path serviceAccountDir;
    private final StartupTrace trace;

    /** With the process environment and the standard service account folder. */
    public StandardClusterConnector() {
        this(StartupTrace.off());
    }

    /** With the process environment and the standard service account folder; embedded mode's start is traced. */
    public StandardClusterConnector(StartupTrace trace) {
        this(System.getenv(), InClusterCredentials.SERVICE_ACCOUNT, trace);
    }

    /**
     * @param environment       the environment in-cluster mode reads {@code KUBERNETES_SERVICE_*} from
     * @param serviceAccountDir where in-cluster mode finds the service account's token and CA
     */
    public StandardClusterConnector(Map<String, String> environment, Path serviceAccountDir) {
        this(environment, serviceAccountDir, StartupTrace.off());
    }

    private StandardClusterConnector(Map<String, String> environment, Path serviceAccountDir, StartupTrace trace) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.serviceAccountDir = requireNonNull(serviceAccountDir, "serviceAccountDir is null");
        this.trace = requireNonNull(trace, "trace is null");
    }

    /** Without the host's folders: embedded mode then boots no simulated guests and keeps its objects in memory. */
    @Override
    public ClusterConnection connect(HarnessKubernetesConfig settings, Path configFolder, String namespace) {
        return connect(settings, configFolder, namespace, Optional.empty());
    }

    @Override
    public ClusterConnection connect(HarnessKubernetesConfig settings, Path configFolder, String namespace,
                                     HostFolders folders) {
        return connect(settings, configFolder, namespace, Optional.of(requireNonNull(folders, "folders is null")));
    }

    private ClusterConnection connect(HarnessKubernetesConfig settings, Path configFolder, String namespace,
                                      Optional<HostFolders> folders) {
        requireNonNull(settings, "settings is null");
        requireNonNull(configFolder, "configFolder is null");
        requireNonNull(namespace, "namespace is null");
        return switch (settings.mode()) {
            case KUBECONFIG -> {
                Optional<Path> file = settings.kubeconfig().map(p -> configFolder.resolve(p).normalize());
                Config config = KubeconfigClusters.config(file, settings.context());
                yield connect(config, namespace, KubeconfigClusters.source(config, file));
            }
            case IN_CLUSTER -> {
                Config config = InClusterCredentials.config(environment, serviceAccountDir);
                yield connect(config, namespace, "in-cluster service account");
            }
            case EMBEDDED -> EmbeddedCluster.start(namespace, folders.filter(ignored -> settings.embedded().guests())
                    .map(hostFolders -> EmbeddedClusterGuests.of(settings.embedded(), hostFolders)),
                    folders.map(hostFolders -> EmbeddedClusterFiles.in(hostFolders.dataDirectory())), trace);
        };
    }

    private static ClusterConnection connect(Config config, String namespace, String source) {
        LOG.info("Checking the Kubernetes API at {} ({})", config.getMasterUrl(), source);
        ClusterProbe.check(config, namespace, source);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        return new ClientConnection(client, namespace, config.getMasterUrl() + " (" + source + ")");
    }
}
