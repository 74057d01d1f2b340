package dk.sdu.cloud.im.kubevirt.vnc;

import dk.sdu.cloud.im.kubevirt.manifest.KubeVirtApi;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreams;
import dk.sdu.cloud.im.kubevirt.testing.EmbeddedClusterTest;
import dk.sdu.cloud.im.spi.compute.VncSession;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dk.sdu.cloud.im.kubevirt.testing.Awaits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * VMs' screens against the embedded API server: KubeVirt's {@code vnc} subresource is a scripted websocket of the
 * mock server (an RFB server's first words, and an answer to the viewer's).
 */
class KubeVirtVncStreamsTest extends EmbeddedClusterTest {
    static final String SERVER_VERSION = "RFB 003.008\n";

    KubeVirtVncStreams screens;
    String vmi;

    @BeforeEach
    void makeScreens() {
        vmi = "vm-" + unique + "-0";
        screens = new KubeVirtVncStreams(new VmiStreams(client, namespace));
    }

    @AfterEach
    void closeScreens() {
        screens.close();
    }

    static WebSocketMessage bytes(String text) {
        return new WebSocketMessage(text.getBytes(StandardCharsets.US_ASCII));
    }

    static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    String vncPath() {
        return KubeVirtApi.vncPath(namespace, vmi);
    }

    @Test
    void theScreenCarriesTheRfbBytesBothWays() {
        embedded.server().expect().get().withPath(vncPath())
                .andUpgradeToWebSocket()
                .open(bytes(SERVER_VERSION))
                .expect("RFB 003.008\n").andEmit(bytes("\u0001\u0002")).once()
                .done().once();
        RecordingVncOutput output = new RecordingVncOutput();

        VncSession session = screens.open(vmi, output);
        await().until(() -> output.text().equals(SERVER_VERSION));
        session.send(ascii("RFB 003.008\n"));
        await().until(() -> output.text().equals(SERVER_VERSION + "\u0001\u0002"));

        assertThat(requestLog.requests()).contains("GET /apis/subresources.kubevirt.io/v1/namespaces/" + namespace
                + "/virtualmachineinstances/" + vmi + "/vnc");
        assertThat(screens.openCount()).isOne();
        session.close();
        assertThat(screens.openCount()).isZero();
        assertThat(output.closed).isEmpty();
    }

    @Test
    void whenTheClusterEndsTheStreamTheViewerIsToldAndItIsForgotten() {
        embedded.server().expect().get().withPath(vncPath())
                .andUpgradeToWebSocket()
                .open(bytes(SERVER_VERSION))
                .done().once();
        RecordingVncOutput output = new RecordingVncOutput();

        screens.open(vmi, output);
        await().until(() -> !output.closed.isEmpty());

        assertThat(output.text()).isEqualTo(SERVER_VERSION);
        assertThat(output.closed).singleElement().asString().startsWith("the VM's screen connection ended");
        assertThat(screens.openCount()).isZero();
    }

    @Test
    void aSecondViewerOfTheSameVmEndsTheFirstWithAClearReason() {
        embedded.server().expect().get().withPath(vncPath())
                .andUpgradeToWebSocket()
                .open(bytes(SERVER_VERSION))
                .expect("never sent").andEmit(bytes("")).once()
                .done().times(2);
        RecordingVncOutput first = new RecordingVncOutput();
        RecordingVncOutput second = new RecordingVncOutput();

        screens.open(vmi, first);
        await().until(() -> first.text().equals(SERVER_VERSION));
        screens.open(vmi, second);

        assertThat(first.closed).containsExactly(KubeVirtVncStreams.ANOTHER_VIEWER);
        await().until(() -> second.text().equals(SERVER_VERSION));
        assertThat(second.closed).isEmpty();
        assertThat(screens.openCount()).isOne();
    }

    @Test
    void aScreenTheApiServerRefusesEndsTheViewWithTheReason() {
        // No expectation: the CRUD store answers the GET without an upgrade.
        RecordingVncOutput output = new RecordingVncOutput();

        screens.open(vmi, output);
        await().until(() -> !output.closed.isEmpty());

        assertThat(output.closed).singleElement().asString()
                .startsWith("the screen (VNC) of " + vmi + " could not be opened (HTTP ");
        assertThat(screens.openCount()).isZero();
    }

    @Test
    void closingEndsOpenViewsAndTellsTheirUsers() {
        embedded.server().expect().get().withPath(vncPath())
                .andUpgradeToWebSocket()
                .open(bytes(SERVER_VERSION))
                .expect("never sent").andEmit(bytes("")).once()
                .done().once();
        RecordingVncOutput output = new RecordingVncOutput();
        screens.open(vmi, output);
        await().until(() -> output.text().equals(SERVER_VERSION));

        screens.close();

        assertThat(output.closed).containsExactly(KubeVirtVncStreams.STOPPING);
        assertThat(screens.openCount()).isZero();
    }
}
