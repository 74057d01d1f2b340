package dk.sdu.cloud.im.harness.testing;

import java.nio.file.Path;

/** Configurations for serving tests: the HostPath example with a {@code harness} section. */
public final class ServeConfigs {
    public static final String TOKEN = "serve-test-token-7d2e";

    private ServeConfigs() {
    }

    /** The example, serving on a free loopback port with {@link #TOKEN}, its data in {@code dataDirectory}. */
    public static ExampleConfigs serving(Path dataDirectory, String kubernetesYaml) {
        return ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server", "{ bindHost: 127.0.0.1, port: 0, routeBindAddress: 127.0.0.1 }")
                .setYaml("harness.token", TOKEN)
                .setYaml("harness.dataDirectory", "'" + dataDirectory.toAbsolutePath() + "'")
                .setYaml("harness.kubernetes", kubernetesYaml);
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
