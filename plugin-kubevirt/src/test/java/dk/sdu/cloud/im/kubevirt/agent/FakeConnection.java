package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.socket.WebSocketConnection;
import dk.sdu.cloud.im.spi.socket.WebSocketHandler;
import dk.sdu.cloud.im.spi.socket.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer's websocket connection as the host would hand it to a handler: records what the handler sends and
 * how it closes, and, like the host, tells the listener of the end once.
 */
public final class FakeConnection implements WebSocketConnection {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String remoteAddress;
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final List<byte[]> binaries = new CopyOnWriteArrayList<>();
    private WebSocketListener listener;
    private volatile boolean open = true;
    private volatile Integer closeCode;
    private volatile String closeReason;

    FakeConnection(String remoteAddress) {
        this.remoteAddress = remoteAddress;
    }

    /** Connects to a handler, as the host does after the upgrade. */
    public static FakeConnection connect(WebSocketHandler handler, String remoteAddress) {
        FakeConnection connection = new FakeConnection(remoteAddress);
        connection.listener = handler.open(connection);
        return connection;
    }

    /** The peer sends a text frame. */
    public void send(String text) {
        if (open) {
            listener.onText(text);
        }
    }

    /** The peer sends a binary frame. */
    void sendBinary(byte[] bytes) {
        if (open) {
            listener.onBinary(ByteBuffer.wrap(bytes));
        }
    }

    /** The peer closes. */
    void peerCloses(int code, String reason) {
        if (open) {
            open = false;
            closeCode = code;
            closeReason = reason;
            listener.onClose(code, reason);
        }
    }

    List<String> texts() {
        return List.copyOf(texts);
    }

    /** The binary frames the handler sent (keys on a TTY connection), each as it was. */
    List<byte[]> binaries() {
        return List.copyOf(binaries);
    }

    /** The binary frames the handler sent, joined, as UTF-8. */
    String binaryText() {
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        binaries.forEach(joined::writeBytes);
        return joined.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The frames the handler sent, parsed. */
    List<JsonNode> frames() {
        return texts.stream().map(JSON::readTree).toList();
    }

    public List<String> types() {
        return frames().stream().map(f -> f.path("type").asString()).toList();
    }

    public JsonNode last(String type) {
        List<JsonNode> matching = frames().stream().filter(f -> type.equals(f.path("type").asString())).toList();
        if (matching.isEmpty()) {
            throw new AssertionError("no '" + type + "' frame among " + texts);
        }
        return matching.get(matching.size() - 1);
    }

    public Integer closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void sendText(String text) {
        if (open) {
            texts.add(text);
        }
    }

    @Override
    public void sendBinary(ByteBuffer data) {
        if (open) {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            binaries.add(copy);
        }
    }

    @Override
    public void close(int code, String reason) {
        if (open) {
            open = false;
            closeCode = code;
            closeReason = reason;
            listener.onClose(code, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
