package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static dk.sdu.cloud.im.simulator.DispatchedRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dispatcher driven directly, with a websocket whose writes the test holds: what the event loop and the
 * CRUD store do while a watch's event is still being written.
 */
class EmbeddedDispatcherTest {

    private final List<Thread> dispatcherThreads = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcherExecutor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "dispatcher-test-watch");
        thread.setDaemon(true);
        dispatcherThreads.add(thread);
        return thread;
    });
    private final EmbeddedDispatcher dispatcher =
            new EmbeddedDispatcher(new ConcurrentHashMap<>(), dispatcherExecutor, new RequestFaultInjector(),
                    new KubernetesSerialization());
    private final HeldSocket socket = new HeldSocket();

    @AfterEach
    void release() {
        socket.writes.countDown();
        dispatcher.shutdown();
        dispatcherExecutor.shutdownNow();
    }

    /**
     * A watch ends (the client closed it) while one of its events is still being written. The store must keep
     * answering writes: fabric8's listener, ended off the event loop, shut its sender down but stayed
     * registered until the write finished, and a write in that window threw out of the store (the object was
     * stored, the request never answered: the client timed out).
     */
    /** The simulation's own objects (the CRDs) are created without HTTP; a refusal must not pass unnoticed. */
    @Test
    void aCreationWithoutHttpThatTheStoreRefusesFailsWithItsAnswer() {
        String map = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"m\"}}";
        dispatcher.create("/api/v1/namespaces/n/configmaps", map);

        assertThat(dispatcher.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/n/configmaps/m", null)).code())
                .isEqualTo(200);
        assertThatThrownBy(() -> dispatcher.create("/api/v1/namespaces/n/configmaps", map))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("answered 409");
    }

    @Test
    void aWriteIsAnsweredWhileAWatchEndsWithAnEventStillBeingWritten() {
        WebSocketListener watch = openWatch("/api/v1/namespaces/n/configmaps?watch=true");
        assertThat(dispatcher.dispatch(create("n", "first")).code()).isEqualTo(201);
        await().until(() -> socket.sendsStarted > 0);                   // its event is being written, and held

        watch.onClosing(socket, 1000, "client closed");               // what the event loop calls, in order
        watch.onClosed(socket, 1000, "client closed");
        await().until(() -> dispatcherThreads.stream().allMatch(EmbeddedDispatcherTest::waits));

        MockResponse second = dispatcher.dispatch(create("n", "second"));

        assertThat(second.code()).isEqualTo(201);
    }

    @Test
    void anEndedWatchIsForgottenAtOnceAndWhatWasQueuedForItIsNotWritten() {
        WebSocketListener watch = openWatch("/api/v1/namespaces/n/configmaps?watch=true");
        assertThat(dispatcher.openWatches()).isEqualTo(1);
        dispatcher.dispatch(create("n", "first"));
        await().until(() -> socket.sendsStarted > 0);
        dispatcher.dispatch(create("n", "second"));                 // queued behind the held write

        watch.onClosed(socket, 1000, "client closed");
        assertThat(dispatcher.openWatches()).isZero();
        socket.writes.countDown();
        // Right after the count-down the held sender may still show as waiting: only once "first" is written
        // does "all senders wait" mean they are idle again, with whatever was queued dealt with.
        await().until(() -> !socket.sent.isEmpty()
                && dispatcherThreads.stream().allMatch(EmbeddedDispatcherTest::waits));

        assertThat(socket.sent).hasSize(1).allMatch(event -> event.contains("\"name\":\"first\""));
    }

    @Test
    void aWatchWhoseWebSocketNeverOpensIsNeverRegistered() {
        MockResponse upgrade = dispatcher.dispatch(request(HttpMethod.GET, "/api/v1/namespaces/n/configmaps?watch=true", null));

        assertThat(upgrade.getWebSocketListener()).isNotNull();
        assertThat(dispatcher.openWatches()).isZero();
        assertThat(dispatcher.dispatch(create("n", "first")).code()).isEqualTo(201);
        assertThat(dispatcherThreads).isEmpty();
    }

    @Test
    void aWatchStartsWithWhatItSeesThenFollowsChangesInOrder() {
        socket.writes.countDown();
        dispatcher.dispatch(create("n", "before"));
        dispatcher.dispatch(create("other", "elsewhere"));
        openWatch("/api/v1/namespaces/n/configmaps?watch=true");
        dispatcher.dispatch(create("n", "after"));
        dispatcher.dispatch(request(HttpMethod.DELETE, "/api/v1/namespaces/n/configmaps/before", null));

        await().until(() -> socket.sent.size() == 3);
        assertThat(socket.sent).satisfiesExactly(
                event -> assertThat(event).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"before\""),
                event -> assertThat(event).startsWith("{\"type\":\"ADDED\"").contains("\"name\":\"after\""),
                event -> assertThat(event).startsWith("{\"type\":\"DELETED\"").contains("\"name\":\"before\""));
    }

    private WebSocketListener openWatch(String path) {
        MockResponse upgrade = dispatcher.dispatch(request(HttpMethod.GET, path, null));
        WebSocketListener listener = upgrade.getWebSocketListener();
        assertThat(listener).isNotNull();
        listener.onBeforeAccept(socket, upgrade);
        listener.onOpen(socket, upgrade);
        return listener;
    }

    private static boolean waits(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                || state == Thread.State.TERMINATED;
    }

    private static RecordedRequest create(String namespace, String name) {
        return request(HttpMethod.POST, "/api/v1/namespaces/" + namespace + "/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                        + "\",\"namespace\":\"" + namespace + "\"},\"data\":{\"a\":\"b\"}}");
    }

    /** A websocket whose writes do not finish until the test lets them (as when the event loop is busy). */
    static final class HeldSocket implements WebSocket {

        final CountDownLatch writes = new CountDownLatch(1);
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile int sendsStarted;
        volatile boolean closed;

        @Override
        public RecordedRequest request() {
            return null;
        }

        @Override
        public boolean send(String text) {
            sendsStarted++;
            try {
                writes.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sent.add(text);
            return true;
        }

        @Override
        public boolean send(byte[] bytes) {
            return send(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public boolean close(int code, String reason) {
            closed = true;
            return true;
        }
    }
}
