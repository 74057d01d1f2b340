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
    /** The chars of a carried sequence (a UTF-8 char is at least one byte: at most as many as the bytes). */
    private final CharBuffer chars = CharBuffer.allocate(2 * MAX_SEQUENCE);
    private byte[] scratch = new byte[0];   // for pieces that are not in a heap buffer

    /** The text of the next piece (consumed), without a sequence its end is still missing from. */
    String decode(ByteBuffer bytes) {
        String head = carry.position() > 0 ? completeCarried(bytes) : "";
        int end = wholeEnd(bytes);
        int length = end - bytes.position();
        String body;
        if (length == 0) {
            body = "";
        } else if (bytes.hasArray()) {
            // The JDK's own UTF-8 decoding of a String: one pass, straight into the String's array.
            body = new String(bytes.array(), bytes.arrayOffset() + bytes.position(), length, StandardCharsets.UTF_8);
            bytes.position(end);
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            bytes.get(scratch, 0, length);
            body = new String(scratch, 0, length, StandardCharsets.UTF_8);
        }
        carry.put(bytes);   // an incomplete sequence at the end: at most 3 bytes
        return head.isEmpty() ? body : head.concat(body);
    }

    /** The sequence left from the last piece: fed byte by byte, until the decoder took it (whole or malformed). */
    private String completeCarried(ByteBuffer bytes) {
        chars.clear();
        while (carry.position() > 0 && bytes.hasRemaining()) {
            carry.put(bytes.get());
            carry.flip();
            decoder.decode(carry, chars, false);
            carry.compact();
        }
        return chars.flip().toString();
    }

    /**
     * Where the piece's whole sequences end: before a lead byte in the last three whose sequence needs more
     * bytes than are left; else at its end (malformed bytes are whole: they become U+FFFD now).
     */
    private static int wholeEnd(ByteBuffer bytes) {
        int limit = bytes.limit();
        for (int i = limit - 1; i >= Math.max(bytes.position(), limit - (MAX_SEQUENCE - 1)); i--) {
            int b = bytes.get(i) & 0xFF;
            if (b < 0x80) {
                return limit;
            }
            if (b >= 0xC0) {
                int needs = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return limit - i < needs ? i : limit;
            }
            // a continuation byte: its lead is further back
        }
        return limit;
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
