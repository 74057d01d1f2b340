package dk.sdu.cloud.im.agent.socket;

/** The close statuses of docs/agent-protocol.md. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int TOO_LARGE = 1009;
    public static final int PROTOCOL_ERROR = 4400;
    public static final int AUTHENTICATION_FAILED = 4401;
    public static final int SILENT = 4408;
    public static final int REPLACED = 4409;

    private CloseCodes() {
    }
}
