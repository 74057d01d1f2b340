package dk.sdu.cloud.im.harness.core;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A stand-in for Core that answers the refresh call with a fixed token and every other call from a script of
 * (status, body) answers, the last one repeated: for the failures the harness's Core does not make (503, a 401 that
 * stays). It records the paths and Authorization headers it got.
 */
final class ScriptedCore implements AutoCloseable {
    record Answer(int status, String body) {
    }

    record Received(String path, String authorization) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new ArrayList<>();
    private final String accessToken;
    private volatile Answer last = new Answer(200, "{}");
    private int refreshes;

    ScriptedCore(String accessToken) {
        this.accessToken = accessToken;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Answer answer;
            synchronized (this) {
                received.add(new Received(exchange.getRequestURI().toString(),
                        exchange.getRequestHeaders().getFirst("Authorization")));
                if (exchange.getRequestURI().getPath().equals(CoreClient.REFRESH_PATH)) {
                    refreshes++;
                    answer = new Answer(200, "{\"responses\":[{\"accessToken\":\"" + this.accessToken
                            + "\",\"csrfToken\":\"\"}]}");
                } else {
                    Answer next = script.poll();
                    if (next != null) {
                        last = next;
                    }
                    answer = last;
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** Answers the next calls with these, in order; the last one stays. */
    ScriptedCore answer(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized int refreshes() {
        return refreshes;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    static String error(int status, String why) {
        return "{\"statusCode\":" + status + ",\"why\":\"" + why + "\",\"errorCode\":null,\"detailedCode\":0}";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
