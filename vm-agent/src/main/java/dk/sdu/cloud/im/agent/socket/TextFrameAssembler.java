package dk.sdu.cloud.im.agent.socket;

/**
 * Joins the parts in which the JDK's websocket client delivers a text message, and refuses a message longer
 * than the bound (counted in UTF-8 bytes, as on the wire) as soon as it is known to be too long, instead of
 * buffering it. The agent closes for it with 4400, not 1009: the JDK's client may not send 1009
 * (docs/agent-protocol.md).
 */
public final class TextFrameAssembler {
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    private final int maxBytes;
    private final StringBuilder partial = new StringBuilder();
    private int partialBytes;

    public TextFrameAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds a part; returns the whole message when {@code last}, else {@code null}. */
    public String append(CharSequence part, boolean last) throws ProtocolException {
        partialBytes += utf8Length(part);
        if (partialBytes > maxBytes) {
            partial.setLength(0);
            partialBytes = 0;
            throw new ProtocolException(CloseCodes.FRAME_TOO_LARGE_FROM_AGENT, "frame larger than " + maxBytes + " bytes");
        }
        partial.append(part);
        if (!last) {
            return null;
        }
        var message = partial.toString();
        partial.setLength(0);
        partialBytes = 0;
        return message;
    }

    static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
