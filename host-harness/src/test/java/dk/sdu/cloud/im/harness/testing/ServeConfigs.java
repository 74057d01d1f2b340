package dk.sdu.cloud.im.harness.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * Configurations for serving tests: the HostPath example with a {@code harness} section; the harness plays Core
 * ({@code harness.core.mode: local}) on a free loopback port.
 */
public final class ServeConfigs {
    public static final String TOKEN = "serve-test-token-7d2e";

    private ServeConfigs() {
    }

    /**
     * The example, serving on a free loopback port with {@link #TOKEN}, its data in {@code dataDirectory}, the harness
     * playing Core.
     */
    public static ExampleConfigs serving(Path dataDirectory, String kubernetesYaml) {
        return ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server", "{ bindHost: 127.0.0.1, port: 0, routeBindAddress: 127.0.0.1 }")
                .setYaml("harness.token", TOKEN)
                .setYaml("harness.dataDirectory", "'" + dataDirectory.toAbsolutePath() + "'")
                .setYaml("harness.kubernetes", kubernetesYaml)
                .setYaml("harness.core", "{ mode: local, port: 0, bindHost: 127.0.0.1 }");
    }

    /** A loopback port nothing listens on now. */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #serving} in embedded mode. */
    public static ExampleConfigs embedded(Path dataDirectory) {
        return serving(dataDirectory, "{ mode: embedded }");
    }

    /** {@link #serving} in kubeconfig mode with this kubeconfig file. */
    public static ExampleConfigs kubeconfig(Path dataDirectory, Path kubeconfig) {
        return serving(dataDirectory, "{ mode: kubeconfig, kubeconfig: '" + kubeconfig.toAbsolutePath() + "' }");
    }
}
