package dk.sdu.cloud.im.simulator;

import dk.sdu.cloud.im.simulator.vnc.ByteQueue;
import dk.sdu.cloud.im.simulator.vnc.ManualClock;
import dk.sdu.cloud.im.simulator.vnc.Rect;
import dk.sdu.cloud.im.simulator.vnc.RfbClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A VMI's screen (the {@code vnc} subresource), through a JDK websocket client against the embedded API. */
class VncTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final Rect SCREEN = new Rect(0, 0, 800, 600);

    static EmbeddedKubernetes embedded;
    static KubernetesClient client;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
    String ns;
    KubeVirtSimulator simulator;
    AutoCloseable served;

    @BeforeAll
    static void startServer() {
        embedded = EmbeddedKubernetes.start();
        client = embedded.newClient();
    }

    @AfterAll
    static void stopServer() {
        embedded.close();
    }

    @BeforeEach
    void startSimulator() {
        ns = "vnc-" + NAMESPACES.incrementAndGet();
        // No guests: a VMI's screen is there whether or not its guest is booted.
        simulator = KubeVirtSimulator.start(embedded.newSimulationClient(), ns, clock);
        served = embedded.serveConsoles(simulator);
    }

    @AfterEach
    void stopSimulator() throws Exception {
        served.close();
        simulator.close();
    }

    void runVm(String name) {
        runVm(Fixtures.vm(ns, name, "Always"));
    }

    void runVm(GenericKubernetesResource vm) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).resource(vm).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.cachesInstance(vm.getMetadata().getName()));
    }

    URI vnc(String name, String query) {
        return URI.create(embedded.url().replaceFirst("^http", "ws") + "apis/subresources.kubevirt.io/v1/namespaces/"
                + ns + "/virtualmachineinstances/" + name + "/vnc" + query);
    }

    /** A viewer: an RFB client on a websocket. */
    static final class Viewer implements WebSocket.Listener {
        final ByteQueue received = new ByteQueue(1 << 24);
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final CompletableFuture<String> closeReason = new CompletableFuture<>();
        final CompletableFuture<byte[]> pong = new CompletableFuture<>();
        WebSocket socket;
        RfbClient rfb;

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.offer(bytes);
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            closeReason.complete(reason);
            received.close();
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            pong.complete(bytes);
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
            received.close();
        }

        int closeCode() throws Exception {
            return closed.get(30, TimeUnit.SECONDS);
        }
    }

    Viewer open(String name) {
        return open(name, "");
    }

    Viewer open(String name, String query) {
        Viewer viewer = new Viewer();
        viewer.socket = HTTP.newWebSocketBuilder().subprotocols("plain.kubevirt.io")
                .buildAsync(vnc(name, query), viewer).orTimeout(30, TimeUnit.SECONDS).join();
        viewer.rfb = new RfbClient(viewer.received,
                bytes -> viewer.socket.sendBinary(ByteBuffer.wrap(bytes), true).join());
        return viewer;
    }

    static int refusal(Runnable open) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(open::run).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> thrown[0] = e);
        return ((WebSocketHandshakeException) thrown[0]).getResponse().statusCode();
    }

    static String refusalBody(Runnable open) {
        try {
            open.run();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                return String.valueOf(handshake.getResponse().body());
            }
            throw e;
        }
        throw new AssertionError("the connection was accepted");
    }

    @Test
    void aViewerSeesTheVmisScreenAndItsInput() throws Exception {
        runVm("vm-1-0");
        Viewer viewer = open("vm-1-0");

        RfbClient.ServerInit init = viewer.rfb.handshake();
        assertThat(init.name()).isEqualTo("vm-1-0");
        assertThat(init.width()).isEqualTo(800);
        assertThat(init.height()).isEqualTo(600);
        assertThat(init.format().bitsPerPixel()).isEqualTo(32);
        assertThat(init.format().trueColour()).isTrue();

        viewer.rfb.requestUpdate(false, SCREEN);
        RfbClient.Rectangle[] full = viewer.rfb.readUpdate(4);     // 1.9 MB: many websocket messages
        assertThat(full).hasSize(1);
        assertThat(full[0].area()).isEqualTo(SCREEN);
        assertThat(full[0].pixels()).hasSize(800 * 600 * 4);

        viewer.rfb.requestUpdate(true, SCREEN);
        viewer.rfb.pointer(1, 300, 200);
        assertThat(viewer.rfb.readUpdate(4)[0].area()).isEqualTo(new Rect(0, 484, 800, 36));
        viewer.rfb.requestUpdate(true, SCREEN);
        viewer.rfb.key(true, 0xff0d);
        assertThat(viewer.rfb.readUpdate(4)[0].area()).isEqualTo(new Rect(0, 484, 800, 36));

        viewer.rfb.requestUpdate(true, SCREEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(viewer.rfb.readUpdate(4)[0].area()).isEqualTo(new Rect(0, 448, 800, 36));
    }

    @Test
    void aViewersPingIsAnswered() throws Exception {
        runVm("vm-9-0");
        Viewer viewer = open("vm-9-0");
        viewer.rfb.handshake();

        viewer.socket.sendPing(ByteBuffer.wrap(new byte[] {4, 2})).join();

        assertThat(viewer.pong.get(30, TimeUnit.SECONDS)).containsExactly(4, 2);
    }

    @Test
    void fabric8sWebsocketClientAsTheImUsesItGetsTheScreen() throws Exception {
        runVm("vm-12-0");
        ByteQueue received = new ByteQueue(1 << 24);
        io.fabric8.kubernetes.client.http.WebSocket socket = client.getHttpClient().newWebSocketBuilder()
                .uri(vnc("vm-12-0", "")).subprotocol("plain.kubevirt.io")
                .buildAsync(new io.fabric8.kubernetes.client.http.WebSocket.Listener() {
                    @Override
                    public void onMessage(io.fabric8.kubernetes.client.http.WebSocket webSocket, ByteBuffer bytes) {
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        received.offer(copy);
                        webSocket.request();
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.http.WebSocket webSocket, int code, String reason) {
                        received.close();
                    }
                }).get(30, TimeUnit.SECONDS);
        RfbClient rfb = new RfbClient(received, bytes -> socket.send(ByteBuffer.wrap(bytes)));

        assertThat(rfb.handshake().name()).isEqualTo("vm-12-0");
        rfb.requestUpdate(false, SCREEN);
        assertThat(rfb.readUpdate(4)[0].pixels()).hasSize(800 * 600 * 4);
        socket.sendClose(1000, "bye");
    }

    @Test
    void oversizedClipboardTextClosesTheConnectionWithAReason() throws Exception {
        runVm("vm-2-0");
        Viewer viewer = open("vm-2-0");
        viewer.rfb.handshake();

        viewer.rfb.cutText(100_000_000L, new byte[0]);

        assertThat(viewer.closeCode()).isEqualTo(1008);
        assertThat(viewer.closeReason.get(30, TimeUnit.SECONDS)).contains("ClientCutText of 100000000 bytes");
        await().atMost(Duration.ofSeconds(30)).until(() -> !simulator.vncSessionOpen("vm-2-0"));
    }

    @Test
    void aSecondViewerTakesOverAndTheFirstIsClosed() throws Exception {
        runVm("vm-3-0");
        Viewer first = open("vm-3-0");
        first.rfb.handshake();

        Viewer second = open("vm-3-0");

        assertThat(first.closeCode()).isEqualTo(1000);
        assertThat(first.closeReason.get(30, TimeUnit.SECONDS)).contains("took over");
        assertThat(second.rfb.handshake().name()).isEqualTo("vm-3-0");
        assertThat(simulator.vncSessionOpen("vm-3-0")).isTrue();
    }

    @Test
    void preserveSessionIsRefusedWith503WhileAViewerIsConnected() throws Exception {
        runVm("vm-4-0");
        Viewer first = open("vm-4-0");
        first.rfb.handshake();

        assertThat(refusal(() -> open("vm-4-0", "?preserveSession=true"))).isEqualTo(503);
        assertThat(refusalBody(() -> open("vm-4-0", "?preserveSession=true")))
                .contains("\"code\":503").contains("Active VNC connection. Request denied.");

        first.socket.sendClose(1000, "bye").join();
        first.closeCode();
        await().atMost(Duration.ofSeconds(30)).until(() -> !simulator.vncSessionOpen("vm-4-0"));
        assertThat(open("vm-4-0", "?preserveSession=true").rfb.handshake().name()).isEqualTo("vm-4-0");
    }

    @Test
    void anUnknownVmiIsRefusedWith404() {
        assertThat(refusal(() -> open("vm-none-0"))).isEqualTo(404);
        assertThat(refusalBody(() -> open("vm-none-0"))).contains("\"kind\":\"Status\"").contains("\"reason\":\"NotFound\"")
                .contains("virtualmachineinstances.kubevirt.io \\\"vm-none-0\\\" not found");
    }

    @Test
    void aVmiWithoutAGraphicsDeviceIsRefusedWith400() {
        GenericKubernetesResource vm = Fixtures.vm(ns, "vm-5-0", "Always");
        vm.setAdditionalProperty("spec", Map.of("runStrategy", "Always", "template", Map.of("spec",
                Map.of("domain", Map.of("devices", Map.of("autoattachGraphicsDevice", false))))));
        runVm(vm);

        assertThat(refusal(() -> open("vm-5-0"))).isEqualTo(400);
        assertThat(refusalBody(() -> open("vm-5-0"))).contains("No graphics devices are present.");
    }

    @Test
    void aVmiThatDoesNotRunIsRefusedWith400() {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns).resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1")
                        .withKind("VirtualMachineInstance")
                        .withNewMetadata().withName("vm-6-0").withNamespace(ns).endMetadata()
                        .addToAdditionalProperties("spec", Map.of())
                        .addToAdditionalProperties("status", Map.of("phase", "Scheduling")).build()).create();
        await().until(() -> simulator.cachesInstance("vm-6-0") && simulator.isIdle());

        assertThat(refusal(() -> open("vm-6-0"))).isEqualTo(400);
        assertThat(refusalBody(() -> open("vm-6-0"))).contains("phase is Scheduling instead of Running");
    }

    @Test
    void stoppingTheVmClosesTheStream() throws Exception {
        runVm("vm-7-0");
        Viewer viewer = open("vm-7-0");
        viewer.rfb.handshake();

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-7-0")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"Halted\"}}");

        assertThat(viewer.closeCode()).isEqualTo(1000);
        assertThat(viewer.closeReason.get(30, TimeUnit.SECONDS)).isEqualTo("the virtual machine instance stopped");
        assertThat(simulator.vncSessionOpen("vm-7-0")).isFalse();
    }

    @Test
    void deletingTheVmiClosesTheStream() throws Exception {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns).resource(
                new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1")
                        .withKind("VirtualMachineInstance")
                        .withNewMetadata().withName("vm-10-0").withNamespace(ns).endMetadata()
                        .addToAdditionalProperties("spec", Map.of())
                        .addToAdditionalProperties("status", Map.of("phase", "Running")).build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.cachesInstance("vm-10-0"));
        Viewer viewer = open("vm-10-0");
        viewer.rfb.handshake();

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns).withName("vm-10-0").delete();

        assertThat(viewer.closeCode()).isEqualTo(1000);
        assertThat(viewer.closeReason.get(30, TimeUnit.SECONDS)).isEqualTo("the virtual machine instance stopped");
    }

    @Test
    void textFramesAreDropped() throws Exception {
        runVm("vm-11-0");
        Viewer viewer = open("vm-11-0");

        viewer.socket.sendText("RFB 003.003\n", true).join();

        assertThat(viewer.rfb.handshake().name()).isEqualTo("vm-11-0");
    }

    @Test
    void closingTheSimulatorClosesTheStreamAndEndsItsThreads() throws Exception {
        runVm("vm-8-0");
        Viewer viewer = open("vm-8-0");
        viewer.rfb.handshake();
        String threads = "kubevirt-simulator-vnc-" + ns + "-";
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(thread -> thread.getName().startsWith(threads));

        simulator.close();

        assertThat(viewer.closeCode()).isEqualTo(1000);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                thread -> thread.getName().startsWith(threads) && thread.isAlive());
    }
}
