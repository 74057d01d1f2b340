package dk.sdu.cloud.im.harness.api;

import dk.sdu.cloud.im.harness.auth.CallAuthenticator;
import dk.sdu.cloud.im.harness.auth.CoreJwtAuthenticator;
import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.harness.client.CallCredentials;
import dk.sdu.cloud.im.harness.jobs.JobDriver;
import dk.sdu.cloud.im.harness.jobs.JobDriverSettings;
import dk.sdu.cloud.im.harness.time.ScheduledDelayTimer;
import dk.sdu.cloud.im.harness.metrics.HarnessMetrics;
import dk.sdu.cloud.im.harness.network.links.PublicLinkSettings;
import dk.sdu.cloud.im.harness.network.links.PublicLinkStore;
import dk.sdu.cloud.im.harness.time.DelayTimer;
import dk.sdu.cloud.im.harness.sockets.NamedRoute;
import dk.sdu.cloud.im.harness.store.H2JobStore;
import dk.sdu.cloud.im.harness.store.JobIntent;
import dk.sdu.cloud.im.harness.store.JobSummary;
import dk.sdu.cloud.im.harness.testing.TestCoreKeys;
import dk.sdu.cloud.im.spi.compute.ComputeBackend;
import dk.sdu.cloud.im.spi.host.MachineCatalog;
import dk.sdu.cloud.im.spi.host.Product;
import dk.sdu.cloud.im.spi.host.ProviderSettings;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * A real provider API server on a free loopback port, over a real H2 store in a temporary folder, with
 * {@link RecordingBackend}s, a {@link JobDriver} that carries the requests out (as {@code serve} has), and a
 * JDK {@link HttpClient} to call it. The server checks Core's signed tokens ({@link CoreJwtAuthenticator}, with
 * {@link TestCoreKeys}' public key read from a {@code ucloud_key.pub}), and the requests of {@link #request} are
 * signed as Core signs them.
 */
public final class ApiFixture implements AutoCloseable {
    /** Core's calls as the fixture's requests make them. */
    public static final CallCredentials CREDENTIALS = TestCoreKeys.credentials();
    public static final String PROVIDER = "k8s";
    public static final String JOBS = "/ucloud/" + PROVIDER + "/jobs";
    /** How long a test waits for the driver at most: a bound for failures, never a pause. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    /** The products: two that allow VMs, one that does not. */
    public static final List<Product> PRODUCTS = List.of(
            new Product("u1-standard-4", "u1-standard", "u1-standard", 4, 16, 0, true, false),
            new Product("u1-standard-8", "u1-standard", "u1-standard", 8, 32, 0, true, false),
            new Product("c1-container-2", "c1-container", "c1-container", 2, 8, 0, false, true));

    public final H2JobStore store;
    public final RecordingBackend backend;
    public final HarnessMetrics metrics;
    public final JobDriver driver;
    public final ProviderApiServer server;
    public final PublicLinkStore links;
    private final ScheduledDelayTimer retryTimer = new ScheduledDelayTimer("job-retry-timer");
    public final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiFixture(Path dir, long maxBodyBytes, Duration shutdownTimeout, RecordingBackend backend,
                       List<ComputeBackend> others) {
        this(dir, maxBodyBytes, shutdownTimeout, backend, others, Clock.systemUTC(), Optional.empty(), List.of(),
                jwtAuthenticator(dir, Clock.systemUTC()));
    }

    private ApiFixture(Path dir, long maxBodyBytes, Duration shutdownTimeout, RecordingBackend backend,
                       List<ComputeBackend> others, Clock clock, Optional<DelayTimer> timer, List<NamedRoute> routes,
                       CallAuthenticator authenticator) {
        this(dir, maxBodyBytes, shutdownTimeout, backend, others, clock, timer, routes, authenticator,
                PublicLinkSettings.disabled(), PublicLinkStore.inMemory(), (store, backends) -> List.of());
    }

    private ApiFixture(Path dir, long maxBodyBytes, Duration shutdownTimeout, RecordingBackend backend,
                       List<ComputeBackend> others, Clock clock, Optional<DelayTimer> timer, List<NamedRoute> routes,
                       CallAuthenticator authenticator, PublicLinkSettings linkSettings, PublicLinkStore links,
                       java.util.function.BiFunction<H2JobStore, ComputeBackends, List<ProviderCall>> calls) {
        this.links = links;
        this.store = H2JobStore.open(dir.resolve("jobs"), Clock.systemUTC());
        this.backend = backend;
        this.metrics = new HarnessMetrics(store);
        MachineCatalog catalog = () -> PRODUCTS;
        List<ComputeBackend> backends = new java.util.ArrayList<>();
        backends.add(backend);
        backends.addAll(others);
        this.driver = new JobDriver(store, store, new ComputeBackends(backends), JobDriverSettings.withWorkers(4), retryTimer,
                Clock.systemUTC());
        driver.start();
        this.server = new ProviderApiServer(
                new ApiSettings("127.0.0.1", 0, maxBodyBytes, shutdownTimeout), authenticator,
                new ProviderSettings(PROVIDER, Set.of()), store, backends, catalog, metrics, driver, clock, timer, routes,
                List.of(), linkSettings, links, calls.apply(store, new ComputeBackends(backends)));
        this.port = server.start();
    }

    /** Offering web interfaces and links as {@code settings} say, keeping links in {@code links}. */
    public static ApiFixture start(Path dir, PublicLinkSettings settings, PublicLinkStore links) {
        return new ApiFixture(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), new RecordingBackend(),
                List.of(), Clock.systemUTC(), Optional.empty(), List.of(), jwtAuthenticator(dir, Clock.systemUTC()),
                settings, links, (store, backends) -> List.of());
    }

    public static ApiFixture start(Path dir) {
        return new ApiFixture(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), new RecordingBackend(),
                List.of());
    }

    public static ApiFixture start(Path dir, RecordingBackend backend) {
        return new ApiFixture(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), backend, List.of());
    }

    public static ApiFixture start(Path dir, long maxBodyBytes, Duration shutdownTimeout, RecordingBackend backend,
                                   List<ComputeBackend> others) {
        return new ApiFixture(dir, maxBodyBytes, shutdownTimeout, backend, others);
    }

    /** With the shell's clock and timer, and plugins' websocket routes on the API's port, as the test says. */
    public static ApiFixture start(Path dir, RecordingBackend backend, Clock clock, DelayTimer timer,
                                   List<NamedRoute> routes) {
        return new ApiFixture(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), backend, List.of(), clock,
                Optional.of(timer), routes, jwtAuthenticator(dir, Clock.systemUTC()));
    }

    /** Serving also the provider calls {@code calls} makes of the fixture's store and backends. */
    public static ApiFixture withCalls(Path dir, RecordingBackend backend,
                                       java.util.function.BiFunction<H2JobStore, ComputeBackends, List<ProviderCall>> calls) {
        return new ApiFixture(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), backend, List.of(),
                Clock.systemUTC(), Optional.empty(), List.of(), jwtAuthenticator(dir, Clock.systemUTC()),
                PublicLinkSettings.disabled(), PublicLinkStore.inMemory(), calls);
    }

    /** Checking the callers with {@code authenticator}. */
    public static ApiFixture start(Path dir, CallAuthenticator authenticator) {
        return new ApiFixture(dir, ApiSettings.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5), new RecordingBackend(),
                List.of(), Clock.systemUTC(), Optional.empty(), List.of(), authenticator);
    }

    /**
     * Checks Core's tokens signed with {@link TestCoreKeys} by {@code clock}, the public key read back from the
     * {@code ucloud_key.pub} it writes in {@code dir/core-key}.
     */
    public static CallAuthenticator jwtAuthenticator(Path dir, Clock clock) {
        Path folder = TestCoreKeys.writePublicKey(dir.resolve("core-key"));
        return new CoreJwtAuthenticator(UCloudPublicKeyFile.read(folder), folder.toString(), clock);
    }

    /** A service token of Core's, signed now. */
    public static String serviceToken() {
        return TestCoreKeys.signer(Clock.systemUTC()).serviceToken();
    }

    /** A websocket URI of this server. */
    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request to {@code path} signed as Core signs its calls. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        CREDENTIALS.headers().forEach(request::header);
        return request;
    }

    public HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> delete(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the backends have carried out every request recorded so far. */
    public void awaitCarriedOut() {
        await().atMost(DEADLINE).until(() -> store.list().stream().map(JobSummary::id)
                .map(id -> store.intent(id).orElseThrow()).noneMatch(JobIntent::pending));
    }

    public static JsonNode json(HttpResponse<String> response) {
        return ExampleJobs.JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
        driver.close();
        retryTimer.close();
        metrics.close();
        store.close();
    }
}
