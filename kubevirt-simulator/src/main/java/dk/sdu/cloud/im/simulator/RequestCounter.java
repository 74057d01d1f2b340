package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts the API requests one client sends, by {@link ApiVerb} and by resource: an HTTP interceptor on
 * the fabric8 client, so it counts exactly what that client asks (not what other clients, such as a
 * {@link KubeVirtSimulator}, ask the same server). Works against any API server, embedded or real.
 *
 * <pre>{@code
 * RequestCounter counter = new RequestCounter();
 * KubernetesClient client = embedded.newClient(counter.installer());
 * ...
 * assertThat(counter.snapshot().writes()).isZero();
 * }</pre>
 *
 * <p>A request is counted when it is sent, whatever its answer; a request that the client retries counts
 * once per attempt.
 */
public final class RequestCounter implements Interceptor {

    private static final String NAME = "im-request-counter";

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    private record Key(ApiVerb verb, String resource) {
    }

    /**
     * A customiser that installs this counter on a client builder. It sets the builder's HTTP client builder
     * consumer; to install more than one interceptor, use {@link #installOn(HttpClient.Builder)} in one consumer.
     */
    public Consumer<KubernetesClientBuilder> installer() {
        return builder -> builder.withHttpClientBuilderConsumer(this::installOn);
    }

    /** Installs this counter on an HTTP client builder. */
    public void installOn(HttpClient.Builder http) {
        http.addOrReplaceInterceptor(NAME, this);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        ApiVerb verb = ApiVerb.of(request.method(), request.uri());
        ApiVerb.ResourcePath path = ApiVerb.ResourcePath.parse(request.uri().getRawPath());
        String resource = path == null ? "" : path.resource();
        counts.computeIfAbsent(new Key(verb, resource), key -> new LongAdder()).increment();
    }

    /** The counts so far. */
    public RequestCounts snapshot() {
        Map<ApiVerb, Long> byVerb = new EnumMap<>(ApiVerb.class);
        Map<String, Long> byVerbAndResource = new TreeMap<>();
        counts.forEach((key, count) -> {
            long value = count.sum();
            byVerb.merge(key.verb(), value, Long::sum);
            byVerbAndResource.merge(key.verb().name().toLowerCase(java.util.Locale.ROOT) + " " + key.resource(),
                    value, Long::sum);
        });
        return new RequestCounts(byVerb, byVerbAndResource);
    }

    /** Forgets what was counted. */
    public void reset() {
        counts.clear();
    }
}
