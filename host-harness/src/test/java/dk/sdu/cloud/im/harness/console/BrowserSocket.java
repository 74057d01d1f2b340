package dk.sdu.cloud.im.harness.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A websocket opened as the console page opens one: with the browser's cookie (and an Origin) in the upgrade. */
final class BrowserSocket implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private BrowserSocket(URI uri, Map<String, String> headers) {
        StringBuilder text = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(DEADLINE);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, listener).orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** @throws java.util.concurrent.CompletionException when the upgrade is refused */
    static BrowserSocket connect(URI uri, Map<String, String> headers) {
        return new BrowserSocket(uri, headers);
    }

    /** The next text message; fails when none comes in time. */
    String next() {
        try {
            String message = messages.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + DEADLINE.toSeconds() + " s");
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The status the server closed with. */
    int awaitClose() {
        return closed.orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Closes from this side, as a browser leaving the page does. */
    void closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
