package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.testing.ManualScheduler;
import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreams;
import dk.sdu.cloud.im.spi.compute.TerminalSession;
import dk.sdu.cloud.im.spi.compute.TerminalSize;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serial console fallback against the embedded API server: KubeVirt's console subresource is a scripted
 * websocket of the mock server (CRUD mode upgrades only when the expectation names the method, hence
 * {@code get()}; the mock does not echo the {@code plain.kubevirt.io} subprotocol, which fabric8's JDK client
 * accepts). The agent is a fake; the retry period is the test's tick.
 */
class SerialConsoleFallbackTest extends EmbeddedClusterTest {
    static final TerminalSize SIZE = new TerminalSize(80, 24);

    final FakeGuestTtys agents = new FakeGuestTtys();
    final ManualScheduler scheduler = new ManualScheduler();
    final RecordingTerminalOutput output = new RecordingTerminalOutput();
    final List<VmiStreams.Stream> streams = new CopyOnWriteArrayList<>();
    Shells shells;
    String vmi;

    @BeforeEach
    void makeShells() {
        vmi = "vm-" + unique + "-0";
        KubeVirtSerialConsoles consoles = new KubeVirtSerialConsoles(new VmiStreams(client, namespace));
        SerialConsoles recorded = (name, listener) -> consoles.open(name, listener).thenApply(console -> {
            streams.add((VmiStreams.Stream) console);
            return console;
        });
        shells = new Shells(agents, recorded, scheduler, Duration.ofSeconds(5));
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        shells.close();
        assertThat(shells.openCount()).isZero();
        assertThat(scheduler.periods()).isEmpty();
        for (VmiStreams.Stream stream : streams) {
            assertThat(stream.terminated().get(15, TimeUnit.SECONDS)).as("the websocket ended").isNotNull();
        }
    }

    static WebSocketMessage bytes(String text) {
        return new WebSocketMessage(text.getBytes(StandardCharsets.UTF_8));
    }

    String consolePath() {
        return KubeVirtApi.consolePath(namespace, vmi);
    }

    @Test
    void theConsoleCarriesTheGuestsBytesBothWaysAndTheShellReturnsToTheAgentWhenItAnswers() throws Exception {
        embedded.server().expect().get().withPath(consolePath())
                .andUpgradeToWebSocket()
                .open(bytes("Debian GNU/Linux 12 ttyS0\r\nlogin: "))
                .expect("ucloud\r").andEmit(bytes("ucloud\r\nPassword: ")).once()
                .done().once();

        TerminalSession session = shells.open(unique, vmi, SIZE, output);
        agents.last().refuse();
        await().until(() -> output.screen().endsWith("login: "));
        session.input("ucloud\r");
        await().until(() -> output.screen().endsWith("Password: "));

        assertThat(requestLog.requests()).contains("GET /apis/subresources.kubevirt.io/v1/namespaces/" + namespace
                + "/virtualmachineinstances/" + vmi + "/console");
        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE
                + "Debian GNU/Linux 12 ttyS0\r\nlogin: ucloud\r\nPassword: ");

        agents.connected = true;
        scheduler.tick();
        FakeGuestTtys.Tty tty = agents.last().accept();
        tty.print("$ ");

        assertThat(output.screen()).endsWith(ShellSession.CLEAR_SCREEN + ShellSession.AGENT_NOTICE + "$ ");
        // Recorded when the console's open completes, which may come after its first bytes reached the screen.
        await().until(() -> streams.size() == 1);
        assertThat(streams.get(0).terminated().get(15, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(output.closed).isEmpty();
        session.close();
        assertThat(tty.closeCalls).isEqualTo(1);
    }

    @Test
    void whenTheConsoleStreamEndsTheUserIsToldAndTheRetryStops() {
        embedded.server().expect().get().withPath(consolePath())
                .andUpgradeToWebSocket()
                .open(bytes("reboot: Power down\r\n"))
                .done().once();

        shells.open(unique, vmi, SIZE, output);
        agents.last().refuse();
        await().until(() -> !output.closed.isEmpty());

        assertThat(output.screen()).isEqualTo(ShellSession.SERIAL_NOTICE + "reboot: Power down\r\n");
        assertThat(output.closed).singleElement().asString().startsWith("the serial console closed");
        assertThat(scheduler.periods()).isEmpty();
        assertThat(shells.openCount()).isZero();
    }

    @Test
    void whenTheUserLeavesTheConsoleStreamIsClosed() throws Exception {
        embedded.server().expect().get().withPath(consolePath())
                .andUpgradeToWebSocket()
                .open(bytes("login: "))
                .expect("never sent").andEmit(bytes("")).once()
                .done().once();

        TerminalSession session = shells.open(unique, vmi, SIZE, output);
        agents.last().refuse();
        await().until(() -> output.screen().endsWith("login: "));

        session.close();

        // Recorded when the console's open completes, which may come after its first bytes reached the screen.
        await().until(() -> streams.size() == 1);
        assertThat(streams.get(0).terminated().get(15, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(scheduler.periods()).isEmpty();
        assertThat(output.closed).isEmpty();
    }

    @Test
    void aConsoleTheApiServerRefusesEndsTheShellWithTheReason() {
        // No expectation: the CRUD store answers the GET without an upgrade.
        shells.open(unique, vmi, SIZE, output);
        agents.last().refuse();
        await().until(() -> !output.closed.isEmpty());

        assertThat(output.closed).singleElement().asString()
                .startsWith("the serial console of " + vmi + " could not be opened (HTTP ");
        assertThat(streams).isEmpty();
        assertThat(shells.openCount()).isZero();
    }
}
