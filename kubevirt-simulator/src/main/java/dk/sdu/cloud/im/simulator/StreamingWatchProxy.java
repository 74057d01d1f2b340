package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The embedded API as kubectl and client-go speak to it: a loopback HTTP proxy in front of the mock server that
 * passes every request on unchanged, except watches. client-go watches with a plain {@code GET ...?watch=true}
 * and reads the events as a stream of JSON objects in one chunked response; the mock serves watches only as
 * websockets (and answers a plain GET with 400). For such a watch the proxy opens the mock's websocket watch
 * and writes each event it sends as one line of the response, until either side ends.
 *
 * <p>Requests and answers are held in memory whole (they are small: objects and lists of one cluster);
 * websocket requests (consoles) are not relayed, and go to the API's own address.
 */
final class StreamingWatchProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamingWatchProxy.class);
    private static final Pattern WATCH = Pattern.compile("(?:^|&)watch=(?:true|1)(?:&|$)");
    // Hop-by-hop headers (RFC 9110, 7.6.1) and the length, which the proxy sets itself.
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te", "trailer", "content-length", "host");
    /** A watch event is one object; a VM with its status stays well below this. */
    private static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final WebSocketClient watches;
    private final HttpServer server;
    private final String apiHost;
    private final int apiPort;
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private StreamingWatchProxy(Vertx vertx, String apiHost, int apiPort) {
        this.vertx = vertx;
        this.apiHost = apiHost;
        this.apiPort = apiPort;
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(apiHost).setDefaultPort(apiPort));
        this.watches = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(MAX_EVENT_BYTES)
                .setMaxFrameSize(MAX_EVENT_BYTES));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::handle);
    }

    /** Starts a proxy on a free loopback port for the API at {@code apiUrl} (plain HTTP). */
    static StreamingWatchProxy start(String apiUrl) {
        URI api = URI.create(requireNonNull(apiUrl, "apiUrl is null"));
        Vertx vertx = Vertx.vertx();
        StreamingWatchProxy proxy = new StreamingWatchProxy(vertx, api.getHost(), api.getPort());
        try {
            proxy.server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proxy.close();
            throw new IllegalStateException("interrupted while starting the kubectl endpoint", e);
        } catch (ExecutionException | TimeoutException e) {
            proxy.close();
            throw new IllegalStateException("cannot start the kubectl endpoint: " + e.getMessage(), e);
        }
        return proxy;
    }

    /** The proxy's base URL, e.g. {@code http://127.0.0.1:40124/}. */
    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/";
    }

    private void handle(HttpServerRequest request) {
        String query = request.query();
        boolean watch = query != null && WATCH.matcher(query).find();
        if (request.headers().contains(HttpHeaders.UPGRADE)) {
            fail(request.response(), 501, "NotImplemented", "websockets are served at the embedded API's own "
                    + "address, not at its kubectl endpoint");
        } else if (watch && "GET".equals(request.method().name())) {
            streamWatch(request);
        } else {
            forward(request);
        }
    }

    private void forward(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        MultiMap headers = forwarded(request.headers());
        request.body()
                .compose(body -> client.request(new RequestOptions().setMethod(request.method())
                                .setURI(request.uri()).setHeaders(headers))
                        .compose(outgoing -> outgoing.send(body)))
                .compose(answer -> answer.body().map(body -> {
                    response.setStatusCode(answer.statusCode());
                    response.headers().addAll(forwarded(answer.headers()));
                    // The mock names no type; client-go then takes the answer for the first type it asked for,
                    // protobuf for built-in kinds (kubectl describe), and fails to decode it.
                    if (!response.headers().contains(HttpHeaders.CONTENT_TYPE) && body.length() > 0) {
                        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                    }
                    return body;
                }))
                .onSuccess(response::end)
                .onFailure(e -> fail(response, 502, "InternalError", "the embedded API did not answer: " + e));
    }

    private void streamWatch(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(apiHost).setPort(apiPort)
                .setURI(request.uri());
        forwarded(request.headers()).forEach(options::addHeader);
        watches.connect(options).onSuccess(socket -> {
            response.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            response.write("");            // the head now: a watch with nothing to report is still answered
            socket.textMessageHandler(event -> response.write(event + "\n"));
            socket.binaryMessageHandler(event -> response.write(event.appendString("\n")));
            socket.closeHandler(ignored -> {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            });
            response.closeHandler(ignored -> socket.close());
        }).onFailure(e -> {
            log.debug("a watch through the kubectl endpoint failed: {}", e.toString());
            fail(response, 500, "InternalError", "cannot watch " + request.path() + ": " + e.getMessage());
        });
    }

    private static MultiMap forwarded(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        headers.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                copy.add(name, value);
            }
        });
        return copy;
    }

    private void fail(HttpServerResponse response, int code, String reason, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code)
                        .withReason(reason).withMessage(message).build())));
    }

    @Override
    public void close() {
        for (Runnable step : List.<Runnable>of(server::close, watches::close, client::close)) {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.debug("closing the kubectl endpoint", e);
            }
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("closing the kubectl endpoint's event loop", e);
        }
    }
}
