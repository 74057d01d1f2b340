package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Serial consoles through the API server: a websocket to the VirtualMachineInstance's {@code console}
 * subresource ({@link KubeVirtApi#consolePath}) with subprotocol {@value KubeVirtApi#STREAM_SUBPROTOCOL}, opened
 * on the fabric8 client's own HTTP client (so with its credentials and TLS settings). The guest's bytes come and
 * go in binary frames.
 *
 * <p>KubeVirt keeps one console connection per VMI: a newer one (another user's, {@code virtctl console}) ends
 * this one, which the listener then hears as the stream's end.
 */
public final class KubeVirtSerialConsoles implements SerialConsoles {
    private final KubernetesClient client;
    private final String namespace;

    public KubeVirtSerialConsoles(KubernetesClient client, String namespace) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** The console's address: the API server's URL (with any path prefix it has) followed by the console path. */
    URI consoleUri(String vmiName) {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + KubeVirtApi.consolePath(namespace, vmiName));
    }

    @Override
    public CompletableFuture<SerialConsole> open(String vmiName, SerialConsoleListener listener) {
        requireNonNull(vmiName, "vmiName is null");
        Stream stream = new Stream(requireNonNull(listener, "listener is null"));
        return client.getHttpClient().newWebSocketBuilder()
                .uri(consoleUri(vmiName))
                .subprotocol(KubeVirtApi.STREAM_SUBPROTOCOL)
                .buildAsync(stream)
                .handle((socket, error) -> {
                    if (error != null) {
                        throw new CompletionException(new SerialConsoleException(describe(vmiName, error), error));
                    }
                    return stream;
                });
    }

    private static String describe(String vmiName, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null) {
            return "the serial console of " + vmiName + " could not be opened (HTTP " + handshake.getResponse().code()
                    + ")";
        }
        return "the serial console of " + vmiName + " could not be opened (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
    }

    /** One console connection: fabric8's listener on one side, ours on the other. */
    static final class Stream implements WebSocket.Listener, SerialConsole {
        private final SerialConsoleListener listener;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** The websocket's end as fabric8 saw it, also after {@link #close()}: for tests. */
        final CompletableFuture<Integer> terminated = new CompletableFuture<>();
        private volatile WebSocket socket;

        Stream(SerialConsoleListener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteBuffer bytes) {
            if (!ended.get()) {
                listener.output(bytes);
            }
            webSocket.request();
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            // KubeVirt's streams are binary; a text frame is not the guest's output.
            webSocket.request();
        }

        @Override
        public void onClose(WebSocket webSocket, int code, String reason) {
            terminated.complete(code);
            if (ended.compareAndSet(false, true)) {
                webSocket.sendClose(1000, "");   // completes the closing handshake
                listener.closed(code, reason == null ? "" : reason);
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            terminated.complete(1006);
            if (ended.compareAndSet(false, true)) {
                listener.closed(1006, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
            }
        }

        @Override
        public void send(byte[] bytes) {
            WebSocket current = socket;
            if (current != null && !ended.get()) {
                current.send(ByteBuffer.wrap(bytes));
            }
        }

        @Override
        public void close() {
            WebSocket current = socket;
            if (ended.compareAndSet(false, true) && current != null) {
                current.sendClose(1000, "");
            }
        }
    }
}
