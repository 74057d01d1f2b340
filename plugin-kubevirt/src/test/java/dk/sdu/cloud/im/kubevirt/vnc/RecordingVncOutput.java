package dk.sdu.cloud.im.kubevirt.vnc;

import dk.sdu.cloud.im.spi.compute.VncOutput;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the user's viewer received. */
final class RecordingVncOutput implements VncOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<String> closed = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void data(ByteBuffer data) {
        if (!closed.isEmpty()) {
            throw new AssertionError("data after closed");
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        bytes.writeBytes(copy);
    }

    @Override
    public void closed(String reason) {
        closed.add(reason);
    }

    /** Everything received, as ASCII. */
    synchronized String text() {
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
