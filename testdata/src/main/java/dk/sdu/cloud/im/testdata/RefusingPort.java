package dk.sdu.cloud.im.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback port that refuses every connection for as long as this is open, for tests of "nothing listens there".
 * A port merely found free and closed again can be taken by any other process (a test running at the same time, an
 * outgoing connection's ephemeral port) before the test dials it; this one stays bound by a socket that never
 * listens and does not allow its address to be reused, so nobody else can bind it, and a connection to it is
 * answered with a reset (connection refused).
 */
public final class RefusingPort implements AutoCloseable {
    private final Socket socket;

    private RefusingPort(Socket socket) {
        this.socket = socket;
    }

    /** Binds a loopback port the system picks. */
    public static RefusingPort open() {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new RefusingPort(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
    }

    /** The port. */
    public int port() {
        return socket.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} (the loopback address as the system names it). */
    public URI httpUrl() {
        return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
