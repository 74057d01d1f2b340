package dk.sdu.cloud.im.simulator.vnc;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class PixelFormatTest {

    @Test
    void theDefaultIsServedAndSurvivesTheWire() {
        ByteBuffer wire = ByteBuffer.allocate(PixelFormat.WIRE_SIZE);
        PixelFormat.DEFAULT.write(wire);
        wire.flip();

        assertThat(PixelFormat.DEFAULT.problem()).isNull();
        assertThat(PixelFormat.read(wire)).isEqualTo(PixelFormat.DEFAULT);
        assertThat(wire.remaining()).isZero();
    }

    @Test
    void formatsThatCannotBeServedSayWhy() {
        assertThat(new PixelFormat(8, 8, false, false, 7, 7, 3, 0, 3, 6).problem()).contains("colour-map");
        assertThat(new PixelFormat(24, 24, false, true, 255, 255, 255, 16, 8, 0).problem()).contains("8, 16 or 32");
        assertThat(new PixelFormat(16, 16, false, true, 31, 63, 31, 12, 5, 0).problem()).contains("do not fit");
        assertThat(new PixelFormat(32, 24, false, true, 0, 255, 255, 16, 8, 0).problem()).contains("do not fit");
        assertThat(new PixelFormat(32, 24, false, true, 200, 255, 255, 16, 8, 0).problem()).contains("do not fit");
    }

    @Test
    void pixelsFollowByteOrder() {
        byte[] little = new byte[4];
        byte[] big = new byte[4];
        PixelFormat.DEFAULT.encode(0x123456, little, 0);
        new PixelFormat(32, 24, true, true, 255, 255, 255, 16, 8, 0).encode(0x123456, big, 0);

        assertThat(little).containsExactly(0x56, 0x34, 0x12, 0);
        assertThat(big).containsExactly(0, 0x12, 0x34, 0x56);
    }
}
