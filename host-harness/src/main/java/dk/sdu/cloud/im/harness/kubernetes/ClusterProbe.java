package dk.sdu.cloud.im.harness.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

import static java.util.Objects.requireNonNull;

/**
 * Checks, once at start, that a cluster can be used: one request that lists at most one KubeVirt
 * VirtualMachine in the jobs' namespace. It proves that the API answers, accepts the credentials, has KubeVirt
 * installed, and lets the IM list VMs there. The probe uses its own client that never retries, so an
 * unreachable cluster fails within the connection timeout instead of after the client's retry back-off.
 */
final class ClusterProbe {
    static final ResourceDefinitionContext VIRTUAL_MACHINES = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    private ClusterProbe() {
    }

    /**
     * @throws ClusterConnectionException saying what is wrong
     */
    static void check(Config config, String namespace, String what) {
        requireNonNull(config, "config is null");
        requireNonNull(namespace, "namespace is null");
        Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once)
                .withHttpClientFactory(new JdkHttpClientFactory()).build()) {
            client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            throw new ClusterConnectionException(explain(e, config.getMasterUrl(), namespace, what), e);
        }
    }

    static String explain(KubernetesClientException e, String url, String namespace, String what) {
        String at = "the Kubernetes API at " + url + " (" + what + ")";
        if (e.getCode() <= 0) {
            // No HTTP answer at all: fabric8 reports -1 (or 0) and keeps the cause.
            return "cannot reach " + at + ": " + transportProblem(e);
        }
        return switch (e.getCode()) {
            case 401 -> at + " did not accept the credentials (HTTP 401); check the token or certificate";
            case 403 -> at + " does not allow the IM to list VirtualMachines in namespace '" + namespace
                    + "' (HTTP 403); grant it the Role and ClusterRole of deploy/rbac.yaml";
            case 404 -> at + " has no kubevirt.io/v1 VirtualMachines (HTTP 404): is KubeVirt installed?";
            default -> at + " answered HTTP " + e.getCode() + " to listing VirtualMachines in namespace '"
                    + namespace + "': " + e.getMessage();
        };
    }

    private static String transportProblem(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof HttpTimeoutException) {
                return "no answer in time (" + cause.getMessage() + ")";
            }
            if (cause instanceof SSLException) {
                return "TLS failed: " + cause.getMessage() + " (is the CA certificate right?)";
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
