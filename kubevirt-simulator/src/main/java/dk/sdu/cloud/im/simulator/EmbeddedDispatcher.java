package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * fabric8's mixed dispatcher (an expectation that matches method and path wins, the CRUD store answers the
 * rest), with one fix: the end of a watch is handled off the server's event loop.
 *
 * <p>Why: the mock's watch listener, when its websocket closes, waits (up to a minute) for its sender thread
 * to finish, and that thread waits (up to 30 s) for a write that only the event loop can complete. When a
 * client closes a watch while events are on their way to it (an informer stopped during activity), the event
 * loop is stuck and every request on its connections times out. Running {@code onClosed}/{@code onFailure}
 * on another thread lets the loop finish the write.
 */
final class EmbeddedDispatcher extends Dispatcher implements Resetable, CustomResourceAware {

    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final KubernetesCrudDispatcher crud;

    EmbeddedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, Executor watchCloser) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
        this.crud = new KubernetesCrudDispatcher(List.of()) {
            @Override
            public MockResponse handleWatch(String path) {
                MockResponse response = super.handleWatch(path);
                return response.withWebSocketUpgrade(new ClosedOffLoop(response.getWebSocketListener(), watchCloser));
            }
        };
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Queue<ServerResponse> queue = expectations.get(
                new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
        if (queue != null && !queue.isEmpty()) {
            return expected.dispatch(request);
        }
        return crud.dispatch(request);
    }

    @Override
    public void shutdown() {
        expected.shutdown();
        crud.shutdown();
    }

    @Override
    public void releaseResources() {
        expected.releaseResources();
        crud.releaseResources();
    }

    @Override
    public void reset() {
        crud.reset();
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext context) {
        crud.expectCustomResource(context);
    }

    /** A watch's websocket listener whose end runs on another thread. */
    private static final class ClosedOffLoop extends WebSocketListener {

        private final WebSocketListener delegate;
        private final Executor closer;

        ClosedOffLoop(WebSocketListener delegate, Executor closer) {
            this.delegate = delegate;
            this.closer = closer;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onPing(WebSocket webSocket, byte[] bytes) {
            delegate.onPing(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            closer.execute(() -> delegate.onClosed(webSocket, code, reason));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable cause, Response response) {
            closer.execute(() -> delegate.onFailure(webSocket, cause, response));
        }
    }
}
