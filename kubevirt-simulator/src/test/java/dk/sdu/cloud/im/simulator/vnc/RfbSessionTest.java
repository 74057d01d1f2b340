package dk.sdu.cloud.im.simulator.vnc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The RFB server over two byte queues, read by a small RFB client. */
class RfbSessionTest {

    static final Rect SCREEN = new Rect(0, 0, 800, 600);
    // The panel's text lines (below 400 rows of bars, a 12-row margin, lines of 36 rows).
    static final Rect TIME_LINE = new Rect(0, 448, 800, 36);
    static final Rect INPUT_LINE = new Rect(0, 484, 800, 36);
    /** What noVNC asks for: 32 bits, red in the low byte. */
    static final PixelFormat NOVNC = new PixelFormat(32, 24, false, true, 255, 255, 255, 0, 8, 16);

    final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
    final ByteQueue toServer = new ByteQueue(1 << 20);
    final ByteQueue fromServer = new ByteQueue(1 << 24);
    final BlockingQueue<RfbSession.End> ends = new LinkedBlockingQueue<>();
    RfbSession session;
    RfbClient client;

    @BeforeEach
    void start() {
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (!fromServer.offer(bytes, offset, length)) {
                    throw new IOException("closed");
                }
            }
        };
        session = new RfbSession("vm-7-0", toServer, out, new TestScreen("vm-7-0", new BitmapFont(), clock.instant()), clock,
                Duration.ofMillis(10), "test-rfb-session", end -> {
                    ends.add(end);
                    fromServer.close();
                    toServer.close();
                });
        client = new RfbClient(fromServer, toServer::offer);
        session.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        session.stop();
        assertThat(session.awaitThreads(Duration.ofSeconds(30))).isTrue();
    }

    RfbSession.End end() throws InterruptedException {
        RfbSession.End end = ends.poll(30, TimeUnit.SECONDS);
        assertThat(end).as("the session ended").isNotNull();
        return end;
    }

    static byte[] pixel(RfbClient.Rectangle rectangle, int x, int y, int bytesPerPixel) {
        int at = ((y - rectangle.area().y()) * rectangle.area().width() + x - rectangle.area().x()) * bytesPerPixel;
        return Arrays.copyOfRange(rectangle.pixels(), at, at + bytesPerPixel);
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void serverInitAnnouncesTheScreenTrueColourAndTheVmisName() throws IOException {
        RfbClient.ServerInit init = client.handshake();

        assertThat(init.width()).isEqualTo(800);
        assertThat(init.height()).isEqualTo(600);
        assertThat(init.format()).isEqualTo(new PixelFormat(32, 24, false, true, 255, 255, 255, 16, 8, 0));
        assertThat(init.name()).isEqualTo("vm-7-0");
    }

    @Test
    void aFullUpdateIsTheWholeScreenInTheServersFormat() throws IOException {
        client.handshake();
        client.requestUpdate(false, SCREEN);

        RfbClient.Rectangle[] update = client.readUpdate(4);

        assertThat(update).hasSize(1);
        assertThat(update[0].area()).isEqualTo(SCREEN);
        assertThat(update[0].pixels()).hasSize(800 * 600 * 4);
        assertThat(pixel(update[0], 0, 0, 4)).isEqualTo(bytes(0xC0, 0xC0, 0xC0, 0));     // grey bar
        assertThat(pixel(update[0], 120, 0, 4)).isEqualTo(bytes(0, 0xC0, 0xC0, 0));      // yellow: B G R
        assertThat(pixel(update[0], 799, 399, 4)).isEqualTo(bytes(0xC0, 0, 0, 0));       // blue bar
        assertThat(pixel(update[0], 0, 599, 4)).isEqualTo(bytes(0x20, 0x20, 0x20, 0));   // panel
    }

    @Test
    void noVncsFormatAndPseudoEncodingsAreServed() throws IOException {
        client.handshake();
        client.setPixelFormat(NOVNC);
        client.setEncodings(0, 1, 7, -223, -224, -239, -257, -258, -261, -307, -308, -309, -312, -313, 0xc0a1e5ce);
        client.requestUpdate(false, SCREEN);

        RfbClient.Rectangle[] update = client.readUpdate(4);

        assertThat(update[0].area()).isEqualTo(SCREEN);
        assertThat(pixel(update[0], 120, 0, 4)).isEqualTo(bytes(0xC0, 0xC0, 0, 0));      // yellow: R G B
    }

    @Test
    void sixteenBitPixelsAreServed() throws IOException {
        client.handshake();
        client.setPixelFormat(new PixelFormat(16, 16, false, true, 31, 63, 31, 11, 5, 0));
        client.requestUpdate(false, new Rect(100, 0, 50, 10));

        RfbClient.Rectangle[] update = client.readUpdate(2);

        assertThat(update[0].area()).isEqualTo(new Rect(100, 0, 50, 10));
        assertThat(update[0].pixels()).hasSize(50 * 10 * 2);
        // 0xC0C0C0 as 5-6-5: 23, 47, 23 = 0xBDF7, little-endian.
        assertThat(pixel(update[0], 100, 0, 2)).isEqualTo(bytes(0xF7, 0xBD));
    }

    @Test
    void eightBitBigEndianAndPartlyOutsideRequestsAreServed() throws IOException {
        client.handshake();
        client.setPixelFormat(new PixelFormat(8, 8, true, true, 7, 7, 3, 0, 3, 6));
        client.requestUpdate(false, new Rect(790, 590, 100, 100));

        RfbClient.Rectangle[] update = client.readUpdate(1);

        assertThat(update[0].area()).isEqualTo(new Rect(790, 590, 10, 10));
        // 0x202020: red 1 (of 7), green 1 (of 7), blue 0 (of 3) = 1 | 1 << 3.
        assertThat(pixel(update[0], 790, 590, 1)).isEqualTo(bytes(9));
    }

    @Test
    void anIncrementalRequestIsAnsweredWhenInputOrTheClockChangesThePicture() throws IOException {
        client.handshake();
        client.requestUpdate(false, SCREEN);
        RfbClient.Rectangle full = client.readUpdate(4)[0];

        // The clock stands still: the first thing that changes is the input shown.
        client.requestUpdate(true, SCREEN);
        client.pointer(1, 10, 20);
        RfbClient.Rectangle[] pointer = client.readUpdate(4);
        assertThat(pointer).hasSize(1);
        assertThat(pointer[0].area()).isEqualTo(INPUT_LINE);

        client.requestUpdate(true, SCREEN);
        client.key(true, 0x61);
        assertThat(client.readUpdate(4)[0].area()).isEqualTo(INPUT_LINE);

        client.requestUpdate(true, SCREEN);
        clock.advance(Duration.ofSeconds(1));
        RfbClient.Rectangle time = client.readUpdate(4)[0];
        assertThat(time.area()).isEqualTo(TIME_LINE);
        byte[] before = Arrays.copyOfRange(full.pixels(), TIME_LINE.y() * 800 * 4, (TIME_LINE.y() + TIME_LINE.height()) * 800 * 4);
        assertThat(time.pixels()).isNotEqualTo(before);
    }

    @Test
    void anIncrementalRequestOutsideWhatChangedWaits() throws IOException {
        client.handshake();
        client.requestUpdate(true, new Rect(0, 0, 800, 400));   // the bars never change
        client.pointer(0, 1, 1);
        clock.advance(Duration.ofSeconds(1));
        client.requestUpdate(false, new Rect(0, 599, 1, 1));    // a full request is answered at once

        RfbClient.Rectangle[] update = client.readUpdate(4);

        // Nothing answered the incremental request on its own: it was merged with the full one.
        assertThat(update).hasSize(1);
        assertThat(update[0].area()).isEqualTo(SCREEN);
    }

    @Test
    void aColourMapFormatEndsTheSession() throws Exception {
        client.handshake();
        client.setPixelFormat(new PixelFormat(8, 8, false, false, 0, 0, 0, 0, 0, 0));

        RfbSession.End end = end();
        assertThat(end.violation()).isTrue();
        assertThat(end.reason()).contains("colour-map");
        assertThat(client.ended()).isTrue();
    }

    @Test
    void aTwentyFourBitFormatEndsTheSession() throws Exception {
        client.handshake();
        client.setPixelFormat(new PixelFormat(24, 24, false, true, 255, 255, 255, 16, 8, 0));

        assertThat(end().reason()).contains("bits per pixel must be 8, 16 or 32");
    }

    @Test
    void clipboardTextIsReadAndDropped() throws IOException {
        client.handshake();
        client.cutText(5, "hello".getBytes(StandardCharsets.UTF_8));
        client.requestUpdate(false, new Rect(0, 0, 2, 2));

        assertThat(client.readUpdate(4)[0].area()).isEqualTo(new Rect(0, 0, 2, 2));
    }

    @Test
    void clipboardTextLongerThanTheLimitEndsTheSessionWithoutBeingRead() throws Exception {
        client.handshake();
        client.cutText(0xFFFFFFFFL, new byte[0]);

        RfbSession.End end = end();
        assertThat(end.violation()).isTrue();
        assertThat(end.reason()).isEqualTo("ClientCutText of 4294967295 bytes is longer than the 1048576 accepted");
        assertThat(client.ended()).isTrue();
    }

    @Test
    void anUnknownMessageTypeEndsTheSession() throws Exception {
        client.handshake();
        client.send(new byte[] {(byte) 200, 1, 2, 3});

        assertThat(end().reason()).isEqualTo("unknown client message type 200");
    }

    @Test
    void aVersion33ClientIsToldNoneAndGetsNoSecurityResult() throws IOException {
        assertThat(new String(client.readFully(12), StandardCharsets.US_ASCII)).isEqualTo("RFB 003.008\n");
        client.send("RFB 003.003\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(client.readS32()).isEqualTo(1);
        client.send(new byte[] {0});

        assertThat(client.serverInit().name()).isEqualTo("vm-7-0");
    }

    @Test
    void anUnpublishedVersionIsServedAs33() throws IOException {
        client.readFully(12);
        client.send("RFB 003.005\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(client.readS32()).isEqualTo(1);
        client.send(new byte[] {0});

        assertThat(client.serverInit().width()).isEqualTo(800);
    }

    @Test
    void aVersion37ClientChoosesNoneAndGetsNoSecurityResult() throws IOException {
        client.readFully(12);
        client.send("RFB 003.007\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(client.readU8()).isEqualTo(1);
        assertThat(client.readU8()).isEqualTo(1);
        client.send(new byte[] {1, 1});       // None, then ClientInit (shared)

        assertThat(client.serverInit().name()).isEqualTo("vm-7-0");
    }

    @Test
    void aSecurityTypeNotOfferedIsRefusedWithAReason() throws Exception {
        client.readFully(12);
        client.send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        client.readFully(2);
        client.send(new byte[] {2});

        assertThat(client.readS32()).isEqualTo(1);
        int length = client.readS32();
        assertThat(new String(client.readFully(length), StandardCharsets.UTF_8)).isEqualTo("security type 2 is not offered");
        assertThat(end().violation()).isTrue();
    }

    @Test
    void somethingElseThanAVersionEndsTheSession() throws Exception {
        client.readFully(12);
        client.send("GET / HTTP/1".getBytes(StandardCharsets.US_ASCII));

        RfbSession.End end = end();
        assertThat(end.violation()).isTrue();
        assertThat(end.reason()).startsWith("not an RFB protocol version");
    }

    @Test
    void theViewerEndingItsStreamEndsTheSessionAndItsThreads() throws Exception {
        client.handshake();
        toServer.close();

        RfbSession.End end = end();
        assertThat(end.violation()).isFalse();
        assertThat(session.awaitThreads(Duration.ofSeconds(30))).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                thread -> thread.getName().startsWith("test-rfb-session") && thread.isAlive());
    }

    @Test
    void stoppingEndsTheThreadsOnce() throws Exception {
        client.handshake();
        client.requestUpdate(true, SCREEN);

        session.stop();
        session.stop();

        assertThat(end().reason()).isEqualTo("the session was stopped");
        assertThat(session.awaitThreads(Duration.ofSeconds(30))).isTrue();
        assertThat(ends).isEmpty();
    }
}
