package dk.sdu.cloud.im.agent.socket;

/** The peer broke the protocol; the message becomes the close reason, so it is short and holds no token. */
public final class ProtocolException extends Exception {
    private final int closeCode;

    public ProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public static ProtocolException protocolError(String message) {
        return new ProtocolException(CloseCodes.PROTOCOL_ERROR, message);
    }

    public int closeCode() {
        return closeCode;
    }
}
