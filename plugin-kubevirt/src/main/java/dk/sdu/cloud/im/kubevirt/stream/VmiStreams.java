package dk.sdu.cloud.im.kubevirt.stream;

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
 * Streams to VirtualMachineInstances' websocket subresources ({@link KubeVirtApi#subresourcePath}) through the API
 * server, with subprotocol {@value KubeVirtApi#STREAM_SUBPROTOCOL}, opened on the fabric8 client's own HTTP client
 * (so with its credentials and TLS settings). The VM's bytes come and go in binary frames; KubeVirt sends no text.
 *
 * <p>KubeVirt keeps one connection per VMI and subresource: a newer one (another user's, {@code virtctl}) ends
 * this one, which the listener then hears as the stream's end.
 */
public final class VmiStreams {
    private final KubernetesClient client;
    private final String namespace;

    public VmiStreams(KubernetesClient client, String namespace) {
        this.client = requireNonNull(client, "client is null");
        this.namespace = requireNonNull(namespace, "namespace is null");
    }

    /** A subresource's address: the API server's URL (with any path prefix it has) followed by its path. */
    public URI uri(String vmiName, String subresource) {
        String base = client.getMasterUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + KubeVirtApi.subresourcePath(namespace, vmiName, subresource));
    }

    /**
     * Connects to a subresource of a VirtualMachineInstance.
     *
     * @param vmiName     the VirtualMachineInstance, in the backend's namespace
     * @param subresource e.g. {@link KubeVirtApi#CONSOLE_SUBRESOURCE}
     * @param what        what it is, for the user's message when it cannot be opened ("the serial console")
     * @param listener    where the VM's bytes and the stream's end go; bytes may arrive before the future completes
     * @return completes with the stream once connected; exceptionally with a {@link VmiStreamException} when it
     *         cannot be opened
     */
    public CompletableFuture<Stream> open(String vmiName, String subresource, String what,
                                          VmiStreamListener listener) {
        requireNonNull(vmiName, "vmiName is null");
        requireNonNull(what, "what is null");
        Stream stream = new Stream(requireNonNull(listener, "listener is null"));
        return client.getHttpClient().newWebSocketBuilder()
                .uri(uri(vmiName, subresource))
                .subprotocol(KubeVirtApi.STREAM_SUBPROTOCOL)
                .buildAsync(stream)
                .handle((socket, error) -> {
                    if (error != null) {
                        throw new CompletionException(new VmiStreamException(describe(what, vmiName, error), error));
                    }
                    return stream;
                });
    }

    private static String describe(String what, String vmiName, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null) {
            return what + " of " + vmiName + " could not be opened (HTTP " + handshake.getResponse().code() + ")";
        }
        return what + " of " + vmiName + " could not be opened (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
    }

    /** One connection: fabric8's listener on one side, ours on the other. */
    public static final class Stream implements WebSocket.Listener, VmiStream {
        private final VmiStreamListener listener;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final CompletableFuture<Integer> terminated = new CompletableFuture<>();
        private volatile WebSocket socket;

        Stream(VmiStreamListener listener) {
            this.listener = listener;
        }

        /** The websocket's close status as fabric8 saw it, also after {@link #close()} (1006: it broke). */
        public CompletableFuture<Integer> terminated() {
            return terminated;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            if (ended.get()) {
                webSocket.sendClose(1000, "");   // closed while it was connecting
            }
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
            // KubeVirt's streams are binary; a text frame is not the VM's output.
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
