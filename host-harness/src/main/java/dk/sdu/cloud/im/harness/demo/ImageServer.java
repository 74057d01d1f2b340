package dk.sdu.cloud.im.harness.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Serves one file over HTTP on the loopback address (a free port), as an image host would: {@code GET} and
 * {@code HEAD} of its path with a Content-Length, 404 for anything else. Counts the downloads. (Tests of the
 * host use it too.)
 */
public final class ImageServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Path file;
    private final String path;
    private final AtomicInteger downloads = new AtomicInteger();

    private ImageServer(Path file, String name) throws IOException {
        this.file = requireNonNull(file, "file is null");
        this.path = "/" + requireNonNull(name, "name is null");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "demo-image-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts serving {@code file} as {@code /<name>}. */
    public static ImageServer serve(Path file, String name) {
        try {
            return new ImageServer(file, name);
        } catch (IOException e) {
            throw new DemoFailure("cannot start the image server on 127.0.0.1: " + e, e);
        }
    }

    /** The file's URL. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** How many GETs of the file were answered. */
    public int downloads() {
        return downloads.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            long size = Files.size(file);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
            downloads.incrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
