package dk.sdu.cloud.im.simulator.vnc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small RFB client for tests: reads what the server sent from a {@link ByteQueue} (each read gives up after
 * a generous while, so a test fails instead of hanging) and sends through whatever carries bytes to the server.
 */
public final class RfbClient {

    private static final long TIMEOUT_SECONDS = 30;

    private final ByteQueue fromServer;
    private final Consumer<byte[]> toServer;

    /** What ServerInit said. */
    public record ServerInit(int width, int height, PixelFormat format, String name) {
    }

    /** One rectangle of a FramebufferUpdate. */
    public record Rectangle(Rect area, int encoding, byte[] pixels) {
    }

    public RfbClient(ByteQueue fromServer, Consumer<byte[]> toServer) {
        this.fromServer = fromServer;
        this.toServer = toServer;
    }

    /** The 3.8 handshake with security None, up to and including ServerInit. */
    public ServerInit handshake() throws IOException {
        String version = new String(readFully(12), StandardCharsets.US_ASCII);
        if (!version.equals("RFB 003.008\n")) {
            throw new IOException("unexpected server version " + version);
        }
        send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        int count = readU8();
        byte[] types = readFully(count);
        if (count != 1 || types[0] != 1) {
            throw new IOException("unexpected security types");
        }
        send(new byte[] {1});
        int result = readS32();
        if (result != 0) {
            throw new IOException("security result " + result);
        }
        send(new byte[] {1});
        return serverInit();
    }

    /** Reads ServerInit. */
    public ServerInit serverInit() throws IOException {
        int width = readU16();
        int height = readU16();
        PixelFormat format = PixelFormat.read(ByteBuffer.wrap(readFully(PixelFormat.WIRE_SIZE)));
        int length = readS32();
        if (length < 0 || length > 4096) {
            throw new IOException("unlikely name length " + length);
        }
        return new ServerInit(width, height, format, new String(readFully(length), StandardCharsets.UTF_8));
    }

    public void setPixelFormat(PixelFormat format) {
        ByteBuffer message = ByteBuffer.allocate(4 + PixelFormat.WIRE_SIZE).put((byte) 0).put(new byte[3]);
        format.write(message);
        send(message.array());
    }

    public void setEncodings(int... encodings) {
        ByteBuffer message = ByteBuffer.allocate(4 + 4 * encodings.length).put((byte) 2).put((byte) 0)
                .putShort((short) encodings.length);
        for (int encoding : encodings) {
            message.putInt(encoding);
        }
        send(message.array());
    }

    public void requestUpdate(boolean incremental, Rect area) {
        send(ByteBuffer.allocate(10).put((byte) 3).put((byte) (incremental ? 1 : 0)).putShort((short) area.x())
                .putShort((short) area.y()).putShort((short) area.width()).putShort((short) area.height()).array());
    }

    public void key(boolean down, int keysym) {
        send(ByteBuffer.allocate(8).put((byte) 4).put((byte) (down ? 1 : 0)).putShort((short) 0).putInt(keysym).array());
    }

    public void pointer(int buttons, int x, int y) {
        send(ByteBuffer.allocate(6).put((byte) 5).put((byte) buttons).putShort((short) x).putShort((short) y).array());
    }

    /** A ClientCutText header announcing {@code length} bytes, followed by {@code text}. */
    public void cutText(long length, byte[] text) {
        send(ByteBuffer.allocate(8 + text.length).put((byte) 6).put(new byte[3]).putInt((int) length).put(text).array());
    }

    public void send(byte[] bytes) {
        toServer.accept(bytes);
    }

    /** Reads one FramebufferUpdate (Raw rectangles only), for pixels of {@code bytesPerPixel}. */
    public Rectangle[] readUpdate(int bytesPerPixel) throws IOException {
        int type = readU8();
        if (type != 0) {
            throw new IOException("expected a FramebufferUpdate, got message type " + type);
        }
        readU8();
        Rectangle[] rectangles = new Rectangle[readU16()];
        for (int i = 0; i < rectangles.length; i++) {
            Rect area = new Rect(readU16(), readU16(), readU16(), readU16());
            int encoding = readS32();
            if (encoding != 0) {
                throw new IOException("expected Raw, got encoding " + encoding);
            }
            rectangles[i] = new Rectangle(area, encoding, readFully(area.width() * area.height() * bytesPerPixel));
        }
        return rectangles;
    }

    /** Whether the server's stream ended (waits for it). */
    public boolean ended() throws IOException {
        byte[] one = new byte[1];
        return fromServer.read(one, 0, 1, TIMEOUT_SECONDS, TimeUnit.SECONDS) < 0;
    }

    public int readU8() throws IOException {
        return readFully(1)[0] & 0xff;
    }

    public int readU16() throws IOException {
        return ByteBuffer.wrap(readFully(2)).getShort() & 0xffff;
    }

    public int readS32() throws IOException {
        return ByteBuffer.wrap(readFully(4)).getInt();
    }

    public byte[] readFully(int length) throws IOException {
        byte[] bytes = new byte[length];
        int at = 0;
        while (at < length) {
            int read = fromServer.read(bytes, at, length - at, TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (read < 0) {
                throw new EOFException("the server's stream ended after " + at + " of " + length + " bytes");
            }
            at += read;
        }
        return bytes;
    }
}
