package dk.sdu.cloud.im.kubevirt.shell;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The guest's bytes as one UTF-8 text, however they are cut into pieces. */
class Utf8StreamDecoderTest {
    /** One-, two-, three- and four-byte sequences (the last is two chars). */
    static final String TEXT = "ls -l\r\nblåbær € 𝄞 ok\r\n";

    @Test
    void aTextCutAtEveryPairOfPlacesDecodesToItself() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second++) {
                Utf8StreamDecoder decoder = new Utf8StreamDecoder();
                String decoded = decoder.decode(ByteBuffer.wrap(Arrays.copyOfRange(bytes, 0, first)))
                        + decoder.decode(ByteBuffer.wrap(Arrays.copyOfRange(bytes, first, second)))
                        + decoder.decode(ByteBuffer.wrap(Arrays.copyOfRange(bytes, second, bytes.length)))
                        + decoder.finish();
                assertThat(decoded).as("cut at %d and %d", first, second).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void aTextByteByByteDecodesToItselfAndWholeCharactersOnly() {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        StringBuilder decoded = new StringBuilder();
        for (byte b : TEXT.getBytes(StandardCharsets.UTF_8)) {
            String piece = decoder.decode(ByteBuffer.wrap(new byte[]{b}));
            assertThat(piece.chars().noneMatch(c -> c == '\uFFFD')).isTrue();
            decoded.append(piece);
        }
        assertThat(decoded.toString()).isEqualTo(TEXT);
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void malformedBytesBecomeReplacementCharactersAndTheRestIsKept() {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();

        // A lone continuation byte; a lead byte followed by ASCII (across pieces); an invalid byte.
        assertThat(decoder.decode(ByteBuffer.wrap(new byte[]{'a', (byte) 0x80, 'b', (byte) 0xE2})))
                .isEqualTo("a\uFFFDb");
        assertThat(decoder.decode(ByteBuffer.wrap(new byte[]{'c', (byte) 0xFF, 'd'}))).isEqualTo("\uFFFDc\uFFFDd");
    }

    @Test
    void aSequenceTheStreamEndsInIsOneReplacementCharacter() {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();

        assertThat(decoder.decode(ByteBuffer.wrap(new byte[]{'x', (byte) 0xF0, (byte) 0x9D}))).isEqualTo("x");
        assertThat(decoder.finish()).isEqualTo("\uFFFD");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void largePiecesDecodeInOneCall() {
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        for (int i = 0; i < 5000; i++) {
            big.writeBytes(TEXT.getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = big.toByteArray();
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();

        String decoded = decoder.decode(ByteBuffer.wrap(bytes, 0, 32 * 1024))
                + decoder.decode(ByteBuffer.wrap(bytes, 32 * 1024, bytes.length - 32 * 1024));

        assertThat(decoded).isEqualTo(TEXT.repeat(5000));
    }

    @Test
    void piecesOutsideTheHeapDecodeTheSame() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8StreamDecoder decoder = new Utf8StreamDecoder();
            String decoded = decoder.decode(direct(Arrays.copyOfRange(bytes, 0, cut)))
                    + decoder.decode(direct(Arrays.copyOfRange(bytes, cut, bytes.length))) + decoder.finish();
            assertThat(decoded).as("cut at %d", cut).isEqualTo(TEXT);
        }
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
