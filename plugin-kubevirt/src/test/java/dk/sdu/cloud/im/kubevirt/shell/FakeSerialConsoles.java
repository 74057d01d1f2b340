package dk.sdu.cloud.im.kubevirt.shell;

import dk.sdu.cloud.im.kubevirt.stream.VmiStream;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreamException;
import dk.sdu.cloud.im.kubevirt.stream.VmiStreamListener;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Serial consoles whose opening the test completes: each {@link #open} is a {@link Console}. */
final class FakeSerialConsoles implements SerialConsoles {
    final List<Console> opened = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<VmiStream> open(String vmiName, VmiStreamListener listener) {
        Console console = new Console(vmiName, listener);
        opened.add(console);
        return console.connected;
    }

    Console last() {
        return opened.get(opened.size() - 1);
    }

    /** One console connection: records what the relay sends; the test plays the guest's side. */
    static final class Console implements VmiStream {
        final String vmiName;
        final VmiStreamListener listener;
        final CompletableFuture<VmiStream> connected = new CompletableFuture<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile int closeCalls;
        volatile boolean endedByCluster;

        Console(String vmiName, VmiStreamListener listener) {
            this.vmiName = vmiName;
            this.listener = listener;
        }

        Console connect() {
            connected.complete(this);
            return this;
        }

        void fail(String why) {
            connected.completeExceptionally(new VmiStreamException(why, null));
        }

        @Override
        public void send(byte[] bytes) {
            sent.add(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closeCalls++;
        }

        void print(String text) {
            listener.output(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        void endFromCluster(String reason) {
            endedByCluster = true;
            listener.closed(1000, reason);
        }
    }
}
