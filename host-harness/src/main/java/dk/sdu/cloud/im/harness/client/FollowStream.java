package dk.sdu.cloud.im.harness.client;

import dk.sdu.cloud.im.harness.follow.FollowSocket;
import dk.sdu.cloud.im.spi.compute.FollowMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * A job's follow stream, opened as Core opens it ({@link HarnessClient#follow}): the websocket with the caller's
 * credentials in the upgrade request, the {@code init} with the job, then each message to the listener until the
 * final response, a refusal or the end of the connection.
 */
public final class FollowStream implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STREAM = "follow-0";

    /** What the stream tells its user; called on the client's threads, one at a time. */
    public interface Listener {
        /** A log line or a data packet. */
        void message(FollowMessage message);

        /**
         * The stream is over; called once, last.
         *
         * @param status 200 when the job (or the stream) ended normally, the IM's status of a refusal (400, 404,
         *               409, 500), or 0 when the connection ended without an answer
         * @param why    what the IM said, or how the connection ended
         */
        void ended(int status, String why);
    }

    private final WebSocket socket;
    private final String call;
    private final Duration timeout;

    private FollowStream(WebSocket socket, String call, Duration timeout) {
        this.socket = socket;
        this.call = call;
        this.timeout = timeout;
    }

    /**
     * Connects with {@code headers}, sends the init for {@code job} and returns; messages then go to the listener.
     *
     * @throws HarnessClientException when the connection cannot be made (status 401 when the IM refused the
     *                                credentials, with {@code refusalHint})
     */
    static FollowStream open(URI uri, String providerId, Map<String, String> headers, String refusalHint,
                             JsonNode job, Listener listener, Duration timeout) {
        requireNonNull(listener, "listener is null");
        WebSocket.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).build().newWebSocketBuilder()
                .connectTimeout(timeout);
        headers.forEach(builder::header);
        WebSocket socket;
        try {
            socket = builder.buildAsync(uri, new Receiver(listener)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessClientException(0, "interrupted while connecting to " + uri, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused
                    && refused.getResponse().statusCode() == 401) {
                throw new HarnessClientException(401, uri + " refused the credentials (HTTP 401); " + refusalHint, e);
            }
            throw new HarnessClientException(0, "cannot open the follow stream " + uri + ": " + rootMessage(e), e);
        } catch (Exception e) {
            throw new HarnessClientException(0, "cannot open the follow stream " + uri + ": " + rootMessage(e), e);
        }
        FollowStream stream = new FollowStream(socket, FollowSocket.callOf(providerId), timeout);
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "init");
        payload.set("job", job);
        stream.send(payload);
        return stream;
    }

    /** Asks the IM to end the stream; the listener then hears the final response. */
    public void cancel() {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "cancel");
        send(payload);
    }

    /** Closes the connection (1000); the IM then stops following. */
    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.abort();
        } catch (Exception e) {
            socket.abort();
        }
    }

    private void send(ObjectNode payload) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("call", call);
        frame.put("streamId", STREAM);
        frame.set("payload", payload);
        String text = JSON.writeValueAsString(frame);
        synchronized (socket) {
            try {
                socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HarnessClientException(0, "interrupted while sending to the follow stream", e);
            } catch (Exception e) {
                throw new HarnessClientException(0, "cannot send to the follow stream: " + rootMessage(e), e);
            }
        }
    }

    /** Turns frames into the listener's calls. */
    private static final class Receiver implements WebSocket.Listener {
        private final Listener listener;
        private final StringBuilder partial = new StringBuilder();
        private final AtomicBoolean over = new AtomicBoolean();

        Receiver(Listener listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                frame(text);
            }
            webSocket.request(1);
            return null;
        }

        private void frame(String text) {
            JsonNode frame;
            try {
                frame = JSON.readTree(text);
            } catch (JacksonException e) {
                end(0, "the IM sent a frame that is not JSON");
                return;
            }
            String type = frame.path("type").asString("");
            JsonNode payload = frame.path("payload");
            if ("message".equals(type)) {
                String stdout = payload.path("stdout").isString() ? payload.path("stdout").asString() : null;
                String stderr = payload.path("stderr").isString() ? payload.path("stderr").asString() : null;
                String channel = payload.path("channel").isString() ? payload.path("channel").asString() : null;
                int rank = Math.max(0, payload.path("rank").asInt(0));
                if (stdout != null || stderr != null || channel != null) {
                    listener.message(new FollowMessage(rank, stdout, stderr, channel));
                }
            } else if ("response".equals(type)) {
                int status = frame.path("status").asInt(0);
                end(status, status == 200 ? "the stream ended" : payload.path("why").asString("(no reason)"));
            }
            // Anything else ({"ping": "pong"}) only keeps the connection alive.
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            end(0, "the connection closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            end(0, "the connection failed: " + rootMessage(error));
        }

        private void end(int status, String why) {
            if (over.compareAndSet(false, true)) {
                listener.ended(status, why);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
