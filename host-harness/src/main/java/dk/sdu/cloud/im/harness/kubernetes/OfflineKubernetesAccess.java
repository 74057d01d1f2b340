package dk.sdu.cloud.im.harness.kubernetes;

import dk.sdu.cloud.im.spi.kubernetes.KubernetesAccess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import static java.util.Objects.requireNonNull;

/**
 * The cluster as seen by a command that must never touch one (e.g. {@code render}): a client whose every
 * request fails before it is sent, saying which command refused it. (Its API server address is a closed
 * loopback port besides, so nothing could leave the machine even if a request got past the refusal.) A
 * plugin that only computes objects never notices it.
 */
public final class OfflineKubernetesAccess implements KubernetesAccess, AutoCloseable {
    private final String namespace;
    private final String command;
    private KubernetesClient client;

    /**
     * @param namespace the namespace plugins are told
     * @param command   the command that stays offline, for the error message, e.g. {@code ucloud-im render}
     */
    public OfflineKubernetesAccess(String namespace, String command) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.command = requireNonNull(command, "command is null");
    }

    @Override
    public synchronized KubernetesClient client() {
        if (client == null) {
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1/")
                    .withRequestRetryBackoffLimit(0).build();
            client = new KubernetesClientBuilder().withConfig(config)
                    .withHttpClientFactory(new JdkHttpClientFactory())
                    .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("offline", new Refusal(command)))
                    .build();
        }
        return client;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Fails every request before it is sent. */
    private record Refusal(String command) implements Interceptor {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            throw new IllegalStateException(command + " contacts no cluster, but a plugin tried "
                    + request.method() + " " + request.uri().getPath());
        }
    }
}
