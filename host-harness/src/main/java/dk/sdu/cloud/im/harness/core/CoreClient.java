package dk.sdu.cloud.im.harness.core;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Calls UCloud/Core as the provider, over HTTP, as UCloud's IM does: the provider's access token is got from its
 * refresh token ({@code POST /auth/providers/refresh}, without authorization), kept in memory only, and renewed
 * before a call when it cannot be parsed or has less than {@link CoreClientSettings#renewBefore()} left (its
 * {@code exp} is read without verifying: Core checks it). One renewal runs at a time; callers needing a token wait
 * for it.
 *
 * <p>Each exchange has a timeout. A call that may succeed later (no answer, 408, 429, 5xx) is tried again, a
 * bounded number of times, waiting longer each time; a 401 renews the token once and tries again at once. What
 * is finally thrown carries Core's status and {@code why}.
 */
public final class CoreClient implements CoreTransport {
    /** Core's call that exchanges the refresh token for an access token. */
    public static final String REFRESH_PATH = "/auth/providers/refresh";
    private static final Logger LOG = LoggerFactory.getLogger(CoreClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_WHY_CHARS = 500;

    private final URI baseUrl;
    private final ServerFile credentials;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CoreClientSettings settings;
    private final AtomicReference<String> accessToken = new AtomicReference<>();
    private final ReentrantLock renewal = new ReentrantLock();

    /**
     * @param baseUrl     Core's base URL ({@code provider.hosts.ucloud}), e.g. {@code https://cloud.sdu.dk:443}
     * @param credentials the provider's refresh token and the file it came from (named in errors)
     * @param http        the HTTP client
     * @param clock       when tokens expire is compared with this
     * @param sleeper     waits between attempts
     * @param settings    timeouts, attempts and back-off
     */
    public CoreClient(URI baseUrl, ServerFile credentials, HttpClient http, Clock clock, Sleeper sleeper,
                      CoreClientSettings settings) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.http = requireNonNull(http, "http is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("Core's base URL must be absolute, e.g. https://cloud.sdu.dk, got "
                    + baseUrl);
        }
    }

    /** A client with a JDK HTTP client, the system clock, real sleeps and {@link CoreClientSettings#DEFAULT}. */
    public static CoreClient create(URI baseUrl, ServerFile credentials) {
        return new CoreClient(baseUrl, credentials, HttpClient.newBuilder()
                .connectTimeout(CoreClientSettings.DEFAULT.callTimeout()).build(),
                Clock.systemUTC(), Sleeper.THREAD, CoreClientSettings.DEFAULT);
    }

    /** Core's base URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public JsonNode post(String path, Object body) throws CoreCallException {
        requireNonNull(body, "body is null");
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the body of POST " + path + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
        return call("POST " + requirePath(path), resolve(path, Map.of()),
                builder -> builder.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    @Override
    public JsonNode get(String path, Map<String, String> query) throws CoreCallException {
        requireNonNull(query, "query is null");
        return call("GET " + requirePath(path), resolve(path, query), HttpRequest.Builder::GET);
    }

    private JsonNode call(String call, URI uri, UnaryOperator<HttpRequest.Builder> method)
            throws CoreCallException {
        boolean renewedAfter401 = false;
        for (int attempt = 1; ; attempt++) {
            CoreCallException failure;
            try {
                String token = accessToken();
                HttpResponse<byte[]> response = send(method.apply(request(uri))
                        .header("Authorization", "Bearer " + token).build(), call);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return parse(call, response.body());
                }
                if (status == 401 && !renewedAfter401) {
                    // The token may have been revoked or Core restarted with other keys: one fresh token decides.
                    renewedAfter401 = true;
                    accessToken.compareAndSet(token, null);
                    attempt--;
                    continue;
                }
                failure = new CoreCallException(call, status, why(response));
            } catch (CoreCallException e) {
                failure = e;
            }
            if (!failure.retryable() || attempt >= settings.attempts() || Thread.currentThread().isInterrupted()) {
                throw failure;
            }
            Duration wait = settings.backOffAfter(attempt);
            LOG.debug("{} (attempt {} of {}); trying again in {}", failure.getMessage(), attempt, settings.attempts(),
                    wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    /** The access token, renewed first when it is unusable; one renewal at a time. */
    private String accessToken() throws CoreCallException {
        String current = accessToken.get();
        if (usable(current)) {
            return current;
        }
        renewal.lock();
        try {
            current = accessToken.get();
            if (usable(current)) {
                return current;
            }
            String renewed = refresh();
            accessToken.set(renewed);
            return renewed;
        } finally {
            renewal.unlock();
        }
    }

    private boolean usable(String token) {
        if (token == null) {
            return false;
        }
        try {
            JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            return expires != null && expires.toInstant().minus(settings.renewBefore()).isAfter(clock.instant());
        } catch (ParseException e) {
            return false;
        }
    }

    private String refresh() throws CoreCallException {
        String call = "POST " + REFRESH_PATH;
        byte[] body = JSON.writeValueAsBytes(Map.of("items", List.of(Map.of("refreshToken",
                credentials.refreshToken()))));
        HttpResponse<byte[]> response = send(request(resolve(REFRESH_PATH, Map.of()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), call);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new CoreCallException(call, status, "Core at " + baseUrl + " does not know the refresh token in "
                    + credentials.file() + " (" + why(response) + "): put the provider's refresh token, as Core gave "
                    + "it when the provider was registered (or last renewed), in that file's refreshToken");
        }
        if (status < 200 || status >= 300) {
            throw new CoreCallException(call, status, why(response));
        }
        JsonNode token = parse(call, response.body()).path("responses").path(0).path("accessToken");
        if (!token.isString() || token.asString().isBlank()) {
            throw new CoreCallException(call, status, "Core's answer has no responses[0].accessToken");
        }
        LOG.debug("Got a new access token from Core at {}", baseUrl);
        return token.asString();
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(settings.callTimeout()).header("Accept", "application/json");
    }

    private HttpResponse<byte[]> send(HttpRequest request, String call) throws CoreCallException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CoreCallException(call, 0, "Core at " + baseUrl + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoreCallException(call, 0, "interrupted while waiting for Core's answer", e);
        }
    }

    private static JsonNode parse(String call, byte[] body) throws CoreCallException {
        if (body == null || body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
        } catch (JacksonException e) {
            throw new CoreCallException(call, 200, "Core's answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Core's {@code why}, else the start of the body, else the status. */
    private static String why(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body != null && body.length > 0) {
            try {
                JsonNode why = JSON.readTree(body).path("why");
                if (why.isString() && !why.asString().isBlank()) {
                    return why.asString();
                }
            } catch (JacksonException e) {
                // not Core's error JSON: the text says what it is
            }
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                return text.length() > MAX_WHY_CHARS ? text.substring(0, MAX_WHY_CHARS) + "..." : text;
            }
        }
        return "HTTP " + response.statusCode() + " without a reason";
    }

    private URI resolve(String path, Map<String, String> query) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        String encoded = query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return URI.create(base + path + (encoded.isEmpty() ? "" : "?" + encoded));
    }

    private static String requirePath(String path) {
        requireNonNull(path, "path is null");
        if (!path.startsWith("/") || path.contains("?")) {
            throw new IllegalArgumentException("a path of Core's, e.g. /api/jobs/control/update, got '" + path + "'");
        }
        return path;
    }

    private static String encode(String text) {
        return URLEncoder.encode(Optional.ofNullable(text).orElse(""), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CoreClient[" + baseUrl + "]";
    }
}
