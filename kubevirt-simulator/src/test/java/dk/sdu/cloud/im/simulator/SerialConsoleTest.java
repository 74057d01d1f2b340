package dk.sdu.cloud.im.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dk.sdu.cloud.im.simulator.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serial console of a simulated guest, through a JDK websocket client against the embedded API. */
class SerialConsoleTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    static EmbeddedKubernetes embedded;
    static KubernetesClient client;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;
    String ns;
    KubeVirtSimulator simulator;
    AutoCloseable consoles;

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
        ns = "console-" + NAMESPACES.incrementAndGet();
        // No launcher: the guests run without their agent, which a serial console does not need.
        simulator = KubeVirtSimulator.start(embedded.newSimulationClient(), ns, Clock.systemUTC(),
                GuestSettings.of(temp.resolve("guests"), temp.resolve("no/vmagent")));
        consoles = embedded.serveConsoles(simulator);
    }

    @AfterEach
    void stopSimulator() throws Exception {
        consoles.close();
        simulator.close();
    }

    void runVm(String name) {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns)
                .resource(Fixtures.vm(ns, name, "Always")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.guestBooted(name));
    }

    URI console(String name) {
        return URI.create(embedded.url().replaceFirst("^http", "ws") + "apis/subresources.kubevirt.io/v1/namespaces/"
                + ns + "/virtualmachineinstances/" + name + "/console");
    }

    /** Collects what the console sends, and its close. */
    static final class Listener implements WebSocket.Listener {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        synchronized String text() {
            return received.toString(StandardCharsets.UTF_8);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            synchronized (this) {
                received.writeBytes(bytes);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            synchronized (this) {
                received.writeBytes(data.toString().getBytes(StandardCharsets.UTF_8));
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    WebSocket open(String name, Listener listener) {
        return HTTP.newWebSocketBuilder().subprotocols("plain.kubevirt.io")
                .buildAsync(console(name), listener).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void theConsoleIsAShellInTheGuestsWorkFolder() throws Exception {
        runVm("vm-1-0");
        Listener listener = new Listener();
        WebSocket socket = open("vm-1-0", listener);

        socket.sendBinary(ByteBuffer.wrap("echo hello-$((6*7)); pwd\n".getBytes(StandardCharsets.UTF_8)), true).join();

        Path work = temp.resolve("guests").resolve(ns).resolve("vm-1-0/work").toAbsolutePath();
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.text().contains("hello-42")
                && listener.text().contains(work.toString()));

        socket.sendBinary(ByteBuffer.wrap("exit\n".getBytes(StandardCharsets.UTF_8)), true).join();
        assertThat(listener.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void closingTheConnectionEndsTheShell() throws Exception {
        runVm("vm-2-0");
        Listener listener = new Listener();
        WebSocket socket = open("vm-2-0", listener);
        socket.sendBinary(ByteBuffer.wrap("echo pid=$$\n".getBytes(StandardCharsets.UTF_8)), true).join();
        Pattern pidLine = Pattern.compile("pid=(\\d+)\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> pidLine.matcher(listener.text()).find());
        Matcher matcher = pidLine.matcher(listener.text());
        assertThat(matcher.find()).isTrue();
        long pid = Long.parseLong(matcher.group(1));
        assertThat(ProcessHandle.of(pid)).isPresent();

        socket.sendClose(1000, "bye").join();

        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aHaltedVmHangsUpItsConsole() throws Exception {
        runVm("vm-3-0");
        Listener listener = new Listener();
        open("vm-3-0", listener);

        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE).inNamespace(ns).withName("vm-3-0")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"runStrategy\":\"Halted\"}}");

        assertThat(listener.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void aConsoleOfAVmiThatDoesNotExistIsRefusedWith404() {
        assertThatThrownBy(() -> open("vm-none-0", new Listener()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(404));
    }

    @Test
    void aConsoleOfAVmiThatDoesNotRunIsRefusedWith409() {
        client.genericKubernetesResources(Kinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns).resource(
                new GenericKubernetesResourceBuilder().withApiVersion("kubevirt.io/v1").withKind("VirtualMachineInstance")
                        .withNewMetadata().withName("vm-4-0").withNamespace(ns).endMetadata()
                        .addToAdditionalProperties("spec", Map.of())
                        .addToAdditionalProperties("status", Map.of("phase", "Scheduling")).build()).create();
        await().until(() -> simulator.cachesInstance("vm-4-0") && simulator.isIdle());

        assertThatThrownBy(() -> open("vm-4-0", new Listener()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(409));
    }
}
