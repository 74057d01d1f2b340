package dk.sdu.cloud.im.harness.api;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The raw client the error tests use: it reads an answer that came before the server stopped reading. */
class RawHttpTest {

    @Test
    void anAnswerSentBeforeTheServerClosedOnAnUnreadRequestIsRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    in.readNBytes(1024);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 11\r\n\r\n{\"why\":\"x\"}").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    // Closed with most of the request unread: the kernel resets the connection, and the client's
                    // write of the rest fails.
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // Far more than the sockets' buffers hold: the write cannot finish before the reset.
            RawHttp.Response response = RawHttp.send(server.getLocalPort(),
                    "POST /x HTTP/1.1\r\nX-Padding: " + "a".repeat(32 * 1024 * 1024) + "\r\n", "");

            answered.get(30, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.body()).isEqualTo("{\"why\":\"x\"}");
        }
    }
}
