package dk.sdu.cloud.im.harness.kubernetes;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** fabric8 client configurations from kubeconfig files ({@code harness.kubernetes.mode: kubeconfig}). */
final class KubeconfigClusters {
    private KubeconfigClusters() {
    }

    /**
     * The configuration of a kubeconfig file, or of the standard lookup ({@code $KUBECONFIG}, which may
     * name several files, else {@code ~/.kube/config}) when no file is given.
     *
     * @throws ClusterConnectionException when there is no such file, it cannot be read, or it has no such
     *                                    context
     */
    static Config config(Optional<Path> file, Optional<String> context) {
        requireNonNull(file, "file is null");
        requireNonNull(context, "context is null");
        Config config;
        String source;
        if (file.isPresent()) {
            Path path = file.get();
            source = "kubeconfig " + path;
            if (!Files.isRegularFile(path)) {
                throw new ClusterConnectionException("the kubeconfig file " + path + " does not exist "
                        + "(harness.kubernetes.kubeconfig)");
            }
            if (!Files.isReadable(path)) {
                throw new ClusterConnectionException("the kubeconfig file " + path + " cannot be read by the IM's user");
            }
            config = read(source, () -> Config.fromKubeconfig(context.orElse(null), path.toFile()));
        } else {
            List<String> found = standardFiles();
            if (found.isEmpty()) {
                throw new ClusterConnectionException("no kubeconfig found: "
                        + (System.getenv("KUBECONFIG") == null || System.getenv("KUBECONFIG").isBlank()
                        ? "$KUBECONFIG is not set and ~/.kube/config does not exist"
                        : "none of the files of $KUBECONFIG exists (" + System.getenv("KUBECONFIG") + ")")
                        + "; set harness.kubernetes.kubeconfig, or use harness.kubernetes.mode in-cluster or embedded");
            }
            source = "kubeconfig " + String.join(File.pathSeparator, found);
            config = read(source, () -> Config.autoConfigure(context.orElse(null)));
        }
        if (context.isPresent()) {
            List<String> names = config.getContexts() == null ? List.of()
                    : config.getContexts().stream().map(NamedContext::getName).toList();
            NamedContext current = config.getCurrentContext();
            if (!names.contains(context.get()) || current == null || !context.get().equals(current.getName())) {
                throw new ClusterConnectionException(source + " has no context '" + context.get() + "'"
                        + (names.isEmpty() ? "" : "; its contexts: " + String.join(", ", names))
                        + " (harness.kubernetes.context)");
            }
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new ClusterConnectionException(source + " names no API server for "
                    + context.map(c -> "context '" + c + "'").orElse("its current context"));
        }
        return config;
    }

    /** What a configuration came from, for logs: the file(s) and the context. */
    static String source(Config config, Optional<Path> file) {
        String from = file.map(Path::toString).orElseGet(() -> String.join(File.pathSeparator, standardFiles()));
        NamedContext current = config.getCurrentContext();
        return "kubeconfig " + from + (current == null ? "" : ", context " + current.getName());
    }

    private static List<String> standardFiles() {
        Collection<String> names = Config.getKubeconfigFilenames();
        return names == null ? List.of() : names.stream().filter(n -> Files.isRegularFile(Path.of(n))).toList();
    }

    private static Config read(String source, java.util.function.Supplier<Config> reading) {
        try {
            return reading.get();
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new ClusterConnectionException("cannot use " + source + ": " + e.getMessage(), e);
        }
    }
}
