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
 * Checks, once at start, that a cluster can be used: a request that lists at most one KubeVirt
 * VirtualMachine in the jobs' namespace. It proves that the API answers, accepts the credentials, has KubeVirt
 * installed, and lets the IM list VMs there. The probe uses its own client that never retries by itself, so an
 * unreachable cluster fails within the connection timeout instead of after the client's retry back-off. A
 * transient failure (HTTP 429, 500, 502, 503, 504, or no answer within the request timeout) is asked again, up
 * to {@link #ATTEMPTS} requests in all: an IM restarted after a crash must not give up on one bad answer of a
 * busy API server. Every other failure (refused connection, unknown host, TLS, 401, 403, 404) is a wrong
 * configuration and fails at once.
 */
final class ClusterProbe {
    /** The most requests of one check. */
    static final int ATTEMPTS = 3;

    /** The wait before the {@code retry}-th repetition of the request (1, 2, ...). */
    @FunctionalInterface
    interface Pause {
        void before(int retry) throws InterruptedException;
    }

    /** Waits {@code retry} seconds: short next to the start-up time it saves. */
    private static final Pause SECONDS = retry -> Thread.sleep(1000L * retry);

    static final ResourceDefinitionContext VIRTUAL_MACHINES = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    private ClusterProbe() {
    }

    /**
     * @throws ClusterConnectionException saying what is wrong
     */
    static void check(Config config, String namespace, String what) {
        check(config, namespace, what, SECONDS);
    }

    static void check(Config config, String namespace, String what, Pause pause) {
        requireNonNull(config, "config is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(pause, "pause is null");
        Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once)
                .withHttpClientFactory(new JdkHttpClientFactory()).build()) {
            for (int attempt = 1; ; attempt++) {
                try {
                    client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(namespace)
                            .list(new ListOptionsBuilder().withLimit(1L).build());
                    return;
                } catch (KubernetesClientException e) {
                    if (attempt >= ATTEMPTS || !mayPass(e)) {
                        throw new ClusterConnectionException(explain(e, config.getMasterUrl(), namespace, what), e);
                    }
                }
                try {
                    pause.before(attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ClusterConnectionException("interrupted while checking the Kubernetes API at "
                            + config.getMasterUrl() + " (" + what + ")", e);
                }
            }
        }
    }

    /** Whether a failure may pass by itself: an overloaded or restarting API server, not a wrong setting. */
    static boolean mayPass(KubernetesClientException e) {
        if (e.getCode() <= 0) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof HttpTimeoutException) {
                    return true;
                }
            }
            return false;
        }
        return switch (e.getCode()) {
            case 429, 500, 502, 503, 504 -> true;
            default -> false;
        };
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
