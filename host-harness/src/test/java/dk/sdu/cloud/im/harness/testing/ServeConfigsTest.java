package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.harness.serve.ImServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The tests' IMs do not depend on a fixed port being free on the machine. */
class ServeConfigsTest {
    private static final int EXAMPLE_AGENT_PORT = 42000;

    @TempDir
    Path temp;

    @Test
    void anImOfTheTestsStartsWhileTheExamplesAgentPortIsTaken() throws IOException {
        // Taken by this test, or already by another program (an IM of a test running at the same time).
        try (ServerSocket ignored = bindOrEmpty().orElse(null);
             EmbeddedImFixture fixture = new EmbeddedImFixture(temp.resolve("im"));
             ImServer server = fixture.startIm()) {
            assertThat(fixture.client(server).get("/harness/jobs").isObject()).isTrue();
        }
    }

    private static Optional<ServerSocket> bindOrEmpty() {
        try {
            return Optional.of(new ServerSocket(EXAMPLE_AGENT_PORT, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
