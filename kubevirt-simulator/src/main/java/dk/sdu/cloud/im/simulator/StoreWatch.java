package dk.sdu.cloud.im.simulator;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * One watch on the CRUD store, served over its websocket. Its callbacks run on the server's event loop and
 * never wait: events and the closing handshake are queued, in order, on an executor of their own, whose
 * thread alone writes to the websocket (a write there may wait until the event loop has sent it).
 */
final class StoreWatch extends WebSocketListener {

    private final AttributeSet query;
    private final long sinceVersion;
    private final StoreWatches watches;
    private final Executor sender;
    private volatile WebSocket socket;
    private volatile boolean ended;

    /**
     * @param sinceVersion the {@code resourceVersion} the client asked to watch from (that of its list), or -1
     */
    StoreWatch(AttributeSet query, long sinceVersion, StoreWatches watches, Executor sender) {
        this.query = requireNonNull(query, "query is null");
        this.sinceVersion = sinceVersion;
        this.watches = requireNonNull(watches, "watches is null");
        this.sender = requireNonNull(sender, "sender is null");
    }

    /** The {@code resourceVersion} the client watches from, or -1 when it named none. */
    long sinceVersion() {
        return sinceVersion;
    }

    /** The objects it watches: a key matches it when {@code key.matches(query)}. */
    AttributeSet query() {
        return query;
    }

    boolean matches(AttributeSet key) {
        return key.matches(query);
    }

    /** Queues a watch event ({@code ADDED}, {@code MODIFIED}, {@code DELETED}) of an object given as JSON. */
    void send(String type, String objectJson) {
        if (ended) {
            return;
        }
        String event = "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";
        sender.execute(() -> {
            if (!ended) {
                socket.send(event);
            }
        });
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        watches.start(this);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        // Answer the client's close after the events queued before it, as a server drains what it sent.
        sender.execute(() -> webSocket.close(code, reason));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        end();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable cause, Response response) {
        end();
        sender.execute(() -> webSocket.close(1011, "watch failed"));
    }

    private void end() {
        ended = true;
        watches.end(this);
    }
}
