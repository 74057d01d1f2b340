package dk.sdu.cloud.im.agent.socket;

/** The close statuses of docs/agent-protocol.md. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int TOO_LARGE = 1009;
    /** The JDK's websocket client refuses to send 1009 (it reserves it to itself), so the agent says 4400. */
    public static final int FRAME_TOO_LARGE_FROM_AGENT = 4400;
    public static final int PROTOCOL_ERROR = 4400;
    public static final int AUTHENTICATION_FAILED = 4401;
    public static final int SILENT = 4408;
    public static final int REPLACED = 4409;

    private CloseCodes() {
    }
}
