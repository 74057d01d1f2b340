package dk.sdu.cloud.im.kubevirt.shell;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a byte stream that arrives in pieces as one UTF-8 text: a sequence split between two pieces is kept
 * until its end arrives; malformed bytes become U+FFFD. One per stream; not thread-safe.
 */
final class Utf8StreamDecoder {
    /** The longest UTF-8 sequence: at most this many bytes wait for the next piece. */
    private static final int MAX_SEQUENCE = 4;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer carry = ByteBuffer.allocate(MAX_SEQUENCE);
    private CharBuffer chars = CharBuffer.allocate(1024);

    /** The text of the next piece (consumed), without a sequence its end is still missing from. */
    String decode(ByteBuffer bytes) {
        // UTF-8 never gives more chars than bytes (a 4-byte sequence is 2 chars; U+FFFD stands for >= 1 byte).
        int most = carry.position() + bytes.remaining();
        if (chars.capacity() < most) {
            chars = CharBuffer.allocate(Math.max(most, chars.capacity() * 2));
        }
        chars.clear();
        // The sequence left from the last piece: byte by byte, until the decoder took it (whole or malformed).
        while (carry.position() > 0 && bytes.hasRemaining()) {
            carry.put(bytes.get());
            carry.flip();
            decoder.decode(carry, chars, false);
            carry.compact();
        }
        decoder.decode(bytes, chars, false);
        carry.put(bytes);   // an incomplete sequence at the end: at most 3 bytes
        return chars.flip().toString();
    }

    /** The end of the stream: a sequence still incomplete is malformed. */
    String finish() {
        if (carry.position() == 0) {
            return "";
        }
        chars.clear();
        carry.flip();
        decoder.decode(carry, chars, true);
        decoder.flush(chars);
        carry.clear();
        decoder.reset();
        return chars.flip().toString();
    }
}
