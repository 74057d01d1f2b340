package dk.sdu.cloud.im.agent.socket;

import static java.util.Objects.requireNonNull;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The sending side of a JDK websocket. The JDK refuses a send while the previous one is pending, so sends are
 * chained one after the other; a failed send does not stop the ones after it from being tried (they fail too
 * once the output is closed, which is what the caller then sees).
 */
public final class SerialWebSocket {
    private final WebSocket webSocket;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    public SerialWebSocket(WebSocket webSocket) {
        this.webSocket = requireNonNull(webSocket, "webSocket is null");
    }

    public synchronized CompletableFuture<?> sendText(String text) {
        return chain(() -> webSocket.sendText(text, true));
    }

    public synchronized CompletableFuture<?> sendBinary(ByteBuffer bytes) {
        return chain(() -> webSocket.sendBinary(bytes, true));
    }

    /** Sends a close; when that cannot be done (the output is closed, the code refused), drops the connection. */
    public synchronized CompletableFuture<?> close(int code, String reason) {
        var closing = chain(() -> webSocket.sendClose(code, reason));
        closing.whenComplete((ignored, error) -> {
            if (error != null) {
                webSocket.abort();
            }
        });
        return closing;
    }

    /** Drops the connection without a close handshake. */
    public void abort() {
        webSocket.abort();
    }

    private CompletableFuture<?> chain(java.util.function.Supplier<CompletableFuture<WebSocket>> send) {
        var next = tail.handle((ignored, error) -> null).thenCompose(ignored -> send.get());
        tail = next;
        return next;
    }
}
