package dk.sdu.cloud.im.harness.kubernetes;

import io.fabric8.kubernetes.client.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A fabric8 client configuration from the pod's service account ({@code harness.kubernetes.mode:
 * in-cluster}): the API server from {@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}, the
 * cluster's CA from {@code ca.crt}, and the token from {@code token}, read again for every request so that
 * the kubelet's rotation of projected tokens is followed. No kubeconfig is read.
 */
final class InClusterCredentials {
    /** Where Kubernetes mounts a pod's service account. */
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private InClusterCredentials() {
    }

    /**
     * @param environment       the process environment
     * @param serviceAccountDir the service account's folder
     * @throws ClusterConnectionException when the IM does not run in a pod with a service account
     */
    static Config config(Map<String, String> environment, Path serviceAccountDir) {
        requireNonNull(environment, "environment is null");
        requireNonNull(serviceAccountDir, "serviceAccountDir is null");
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        String port = environment.get("KUBERNETES_SERVICE_PORT");
        if (host == null || host.isBlank() || port == null || port.isBlank()) {
            throw new ClusterConnectionException("mode in-cluster, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                    + "are not set: the IM does not run in a Kubernetes pod (use mode kubeconfig outside a cluster)");
        }
        Path token = serviceAccountDir.resolve("token");
        Path ca = serviceAccountDir.resolve("ca.crt");
        for (Path file : new Path[]{token, ca}) {
            if (!Files.isReadable(file)) {
                throw new ClusterConnectionException("mode in-cluster, but " + file + " is missing or unreadable: "
                        + "the pod has no service account token mounted (automountServiceAccountToken: false?)");
            }
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        Config config = Config.empty();
        config.setMasterUrl("https://" + hostPart + ":" + port);
        config.setCaCertFile(ca.toString());
        config.setOauthTokenProvider(() -> readToken(token));
        return config;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service account token " + file, e);
        }
    }
}
