package dk.sdu.cloud.im.kubevirt.disk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local image server on 127.0.0.1 with a free port. Each path can serve bytes (with or without a
 * Content-Length), fail a number of times with a status, redirect, hold requests until released, or
 * pause, stall or cut a body in the middle. It counts requests per path. Shared by the disk preparation tests and the
 * backend's lifecycle tests.
 */
public final class ImageServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private static final class Route {
        volatile byte[] body;
        volatile boolean withLength = true;
        volatile String redirectTo;
        volatile CountDownLatch gate;
        volatile int stallAfter = -1;
        volatile int cutAfter = -1;
        volatile int pauseAfter = -1;
        volatile CountDownLatch resume;
        final Deque<Integer> failures = new ArrayDeque<>();
        final AtomicInteger waiting = new AtomicInteger();
    }

    public ImageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public ImageServer serve(String path, byte[] body) {
        route(path).body = body;
        return this;
    }

    public ImageServer withoutLength(String path) {
        route(path).withLength = false;
        return this;
    }

    public ImageServer failNext(String path, int status, int times) {
        Route route = route(path);
        synchronized (route.failures) {
            for (int i = 0; i < times; i++) {
                route.failures.add(status);
            }
        }
        return this;
    }

    public ImageServer redirect(String from, String to) {
        route(from).redirectTo = to;
        return this;
    }

    /** Requests of the path wait (before any header is sent) until the returned latch is released. */
    public CountDownLatch hold(String path) {
        CountDownLatch gate = new CountDownLatch(1);
        route(path).gate = gate;
        return gate;
    }

    /** How many requests of the path are waiting at its hold. */
    public int waiting(String path) {
        return route(path).waiting.get();
    }

    /** Sends the headers and this many bytes, then nothing more until the server closes. */
    public ImageServer stallAfter(String path, int bytes) {
        route(path).stallAfter = bytes;
        return this;
    }

    /** Sends the headers and this many bytes, then the rest once the returned latch is released. */
    public CountDownLatch pauseAfter(String path, int bytes) {
        Route route = route(path);
        CountDownLatch resume = new CountDownLatch(1);
        route.pauseAfter = bytes;
        route.resume = resume;
        return resume;
    }

    /** Announces the full length, sends this many bytes, then closes the connection. */
    public ImageServer cutAfter(String path, int bytes) {
        route(path).cutAfter = bytes;
        return this;
    }

    public int requests(String path) {
        return counts.computeIfAbsent(path, p -> new AtomicInteger()).get();
    }

    private Route route(String path) {
        return routes.computeIfAbsent(path, p -> new Route());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            Route route = routes.get(path);
            if (route == null || (route.body == null && route.redirectTo == null)) {
                send(exchange, 404, "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Integer failure;
            synchronized (route.failures) {
                failure = route.failures.poll();
            }
            if (failure != null) {
                send(exchange, failure, ("failing with " + failure).getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (route.redirectTo != null) {
                exchange.getResponseHeaders().add("Location", route.redirectTo);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            CountDownLatch gate = route.gate;
            if (gate != null) {
                route.waiting.incrementAndGet();
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    route.waiting.decrementAndGet();
                }
            }
            byte[] body = route.body;
            CountDownLatch resume = route.resume;
            if (resume != null) {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body, 0, route.pauseAfter);
                    out.flush();
                    awaitQuietly(resume);
                    out.write(body, route.pauseAfter, body.length - route.pauseAfter);
                }
                return;
            }
            if (route.stallAfter >= 0 || route.cutAfter >= 0) {
                int part = Math.max(route.stallAfter, route.cutAfter);
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, part);
                out.flush();
                if (route.stallAfter >= 0) {
                    awaitQuietly(closing);
                }
                // Closing with bytes missing makes the server drop the connection.
                return;
            }
            exchange.sendResponseHeaders(200, route.withLength ? body.length : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // The client went away (a cancelled or aborted download): nothing to answer.
        }
    }

    /** Waits for the latch (released on close at the latest), at most 60 s so that a broken test ends. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        routes.values().forEach(route -> {
            CountDownLatch gate = route.gate;
            if (gate != null) {
                gate.countDown();
            }
            CountDownLatch resume = route.resume;
            if (resume != null) {
                resume.countDown();
            }
        });
        server.stop(0);
        executor.shutdownNow();
    }
}
