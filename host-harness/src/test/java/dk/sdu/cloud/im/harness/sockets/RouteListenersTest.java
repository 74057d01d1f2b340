package dk.sdu.cloud.im.harness.sockets;

import dk.sdu.cloud.im.harness.testing.TestWebSocket;
import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import dk.sdu.cloud.im.spi.socket.WebSocketRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins' websocket routes served on their own listeners, through the SPI's connection. */
class RouteListenersTest {
    private static final int MAX = 1024;

    private final List<RouteListeners> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(RouteListeners::close);
    }

    /** A route whose connections echo every frame, and which records what its listeners saw. */
    private static final class EchoRoute {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
        final BlockingQueue<WebSocketConnection> connections = new LinkedBlockingQueue<>();
        final List<Integer> listening = new CopyOnWriteArrayList<>();

        WebSocketRoute at(int port, String path) {
            return new WebSocketRoute(port, path, MAX, new WebSocketHandler() {
                @Override
                public WebSocketListener open(WebSocketConnection connection) {
                    return echo(connection, path);
                }

                @Override
                public void listening(int bound) {
                    listening.add(bound);
                }
            });
        }

        private WebSocketListener echo(WebSocketConnection connection, String path) {
            connections.add(connection);
            return new WebSocketListener() {
                @Override
                public void onText(String text) {
                    seen.add("text " + text.length());
                    connection.sendText(path + ": " + text);
                }

                @Override
                public void onBinary(ByteBuffer data) {
                    seen.add("binary " + data.remaining());
                    connection.sendBinary(data);
                }

                @Override
                public void onClose(int code, String reason) {
                    closes.add(code + " " + reason);
                }
            };
        }

        String nextClose() throws InterruptedException {
            String close = closes.poll(TestWebSocket.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertThat(close).as("onClose within the deadline").isNotNull();
            return close;
        }
    }

    private RouteListeners start(List<NamedRoute> routes) {
        RouteListeners listeners = new RouteListeners("127.0.0.1", routes);
        started.add(listeners);
        listeners.start();
        return listeners;
    }

    private static URI ws(int port, String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    @Test
    void aRouteGetsItsConnectionsAndBothPathsOfOnePortAreServed() throws Exception {
        EchoRoute echo = new EchoRoute();
        RouteListeners listeners = start(List.of(new NamedRoute("backend A", echo.at(0, "/api/vmagent")),
                new NamedRoute("backend A", echo.at(0, "/api/vmagent/tty"))));
        // One listener for both, on the port the system gave it, which both handlers were told.
        assertThat(listeners.ports()).hasSize(1);
        int port = listeners.ports().get(0);
        assertThat(port).isPositive();
        assertThat(echo.listening).containsExactly(port, port);

        try (TestWebSocket control = TestWebSocket.connect(ws(port, "/api/vmagent"));
             TestWebSocket tty = TestWebSocket.connect(ws(port, "/api/vmagent/tty"))) {
            assertThat(control.send("hello").next()).isEqualTo("/api/vmagent: hello");
            assertThat(tty.send("ready").next()).isEqualTo("/api/vmagent/tty: ready");
            assertThat(tty.sendBinary(new byte[]{1, 2, 3}).next()).isEqualTo("binary:3 bytes");
            assertThat(echo.connections.peek().remoteAddress()).startsWith("127.0.0.1:");
        }
    }

    @Test
    void aFrameOverTheRoutesLimitClosesWith1009BeforeTheHandlerSeesIt() throws Exception {
        EchoRoute echo = new EchoRoute();
        int port = start(List.of(new NamedRoute("backend A", echo.at(0, "/limited")))).ports().get(0);

        try (TestWebSocket socket = TestWebSocket.connect(ws(port, "/limited"))) {
            String atLimit = "x".repeat(MAX);
            assertThat(socket.send(atLimit).next()).isEqualTo("/limited: " + atLimit);
            socket.send("y".repeat(MAX + 1));
            assertThat(socket.awaitClose().code()).isEqualTo(1009);
            assertThat(echo.nextClose()).startsWith("1009");
        }
        assertThat(echo.seen).containsExactly("text " + MAX);

        try (TestWebSocket socket = TestWebSocket.connect(ws(port, "/limited"))) {
            socket.sendBinary(new byte[MAX + 1]);
            assertThat(socket.awaitClose().code()).isEqualTo(1009);
        }
        assertThat(echo.seen).containsExactly("text " + MAX);
    }

    @Test
    void aConnectionThatBreaksEndsOnceWith1006() throws Exception {
        EchoRoute echo = new EchoRoute();
        int port = start(List.of(new NamedRoute("backend A", echo.at(0, "/x")))).ports().get(0);

        TestWebSocket socket = TestWebSocket.connect(ws(port, "/x"));
        socket.send("one").next();
        WebSocketConnection connection = echo.connections.take();
        assertThat(connection.isOpen()).isTrue();
        socket.abort();

        assertThat(echo.nextClose()).startsWith("1006");
        assertThat(connection.isOpen()).isFalse();
        // Sending to a gone peer fails quietly, and no second onClose comes.
        connection.sendText("after the end");
        connection.close(1000, "again");
        assertThat(echo.closes.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aClosedConnectionEndsOnceWithThePeersStatus() throws Exception {
        EchoRoute echo = new EchoRoute();
        int port = start(List.of(new NamedRoute("backend A", echo.at(0, "/x")))).ports().get(0);

        try (TestWebSocket socket = TestWebSocket.connect(ws(port, "/x"))) {
            socket.send("one").next();
            socket.closeNormally();
            assertThat(echo.nextClose()).isEqualTo("1000 bye");
        }
    }

    @Test
    void theHandlerClosingAConnectionGivesThePeerItsStatusAndReason() throws Exception {
        EchoRoute echo = new EchoRoute();
        int port = start(List.of(new NamedRoute("backend A", echo.at(0, "/x")))).ports().get(0);

        try (TestWebSocket socket = TestWebSocket.connect(ws(port, "/x"))) {
            socket.send("one").next();
            echo.connections.take().close(4401, "r".repeat(300));
            TestWebSocket.Closed closed = socket.awaitClose();
            assertThat(closed.code()).isEqualTo(4401);
            // A close frame's reason is cut to what fits (123 bytes).
            assertThat(closed.reason()).isEqualTo("r".repeat(123));
            assertThat(echo.nextClose()).startsWith("4401");
        }
    }

    @Test
    void sendsFromManyThreadsAllArriveAndEachThreadsInOrder() throws Exception {
        EchoRoute echo = new EchoRoute();
        int port = start(List.of(new NamedRoute("backend A", echo.at(0, "/x")))).ports().get(0);
        int threads = 4;
        int each = 250;

        try (TestWebSocket socket = TestWebSocket.connect(ws(port, "/x"))) {
            socket.send("go").next();
            WebSocketConnection connection = echo.connections.take();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread sender = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        connection.sendText(thread + ":" + i);
                    }
                });
                sender.start();
                senders.add(sender);
            }
            start.countDown();
            for (Thread sender : senders) {
                sender.join(TestWebSocket.DEADLINE.toMillis());
            }
            int[] next = new int[threads];
            for (int n = 0; n < threads * each; n++) {
                String[] parts = socket.next().split(":");
                int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).as("thread " + thread + "'s frames in order").isEqualTo(next[thread]);
                next[thread]++;
            }
        }
    }

    @Test
    void twoRoutesAtTheSamePortAndPathAreRefusedNamingBoth() {
        EchoRoute echo = new EchoRoute();
        assertThatThrownBy(() -> new RouteListeners("127.0.0.1", List.of(
                new NamedRoute("compute backend A", echo.at(42000, "/api/vmagent")),
                new NamedRoute("compute backend B", echo.at(42000, "/api/vmagent")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two websocket routes at port 42000, path /api/vmagent: compute backend A and compute backend B");
    }

    @Test
    void aTakenPortIsNamedWithTheRoutes() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            EchoRoute echo = new EchoRoute();
            RouteListeners listeners = new RouteListeners("127.0.0.1",
                    List.of(new NamedRoute("compute backend A", echo.at(taken.getLocalPort(), "/api/vmagent"))));
            started.add(listeners);
            assertThatThrownBy(listeners::start).isInstanceOf(RouteListeners.ListenerException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("/api/vmagent of compute backend A");
        }
    }

    @Test
    void aHandlerFailingWhenToldItsPortStopsTheStartNamingItsOwner() {
        WebSocketRoute failing = new WebSocketRoute(0, "/x", MAX, new WebSocketHandler() {
            @Override
            public WebSocketListener open(WebSocketConnection connection) {
                throw new AssertionError("not connected in this test");
            }

            @Override
            public void listening(int port) {
                throw new IllegalArgumentException("no, thanks");
            }
        });
        RouteListeners listeners = new RouteListeners("127.0.0.1", List.of(new NamedRoute("compute backend A", failing)));
        started.add(listeners);

        assertThatThrownBy(listeners::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("compute backend A failed when told that its websocket route /x listens on port ")
                .hasMessageEndingWith(": java.lang.IllegalArgumentException: no, thanks");
        assertThat(listeners.ports()).as("its listener stopped again").isEmpty();
    }

    @Test
    void stoppingTheListenersEndsTheirConnections() throws Exception {
        EchoRoute echo = new EchoRoute();
        RouteListeners listeners = start(List.of(new NamedRoute("backend A", echo.at(0, "/x"))));
        int port = listeners.ports().get(0);

        try (TestWebSocket socket = TestWebSocket.connect(ws(port, "/x"))) {
            socket.send("one").next();
            listeners.close();
            assertThat(echo.nextClose()).isNotEmpty();
            assertThat(socket.awaitClose()).isNotNull();
        }
    }

    @Test
    void aReasonIsCutWithoutSplittingACharacter() {
        String reason = "ø".repeat(100);
        String cut = JettyConnection.truncate(reason);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("ø".repeat(61));
    }
}
