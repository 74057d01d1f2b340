package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.harness.client.CallCredentials;

import java.nio.file.Path;

/**
 * Configurations for serving tests: the HostPath example with a {@code harness} section. The harness plays Core
 * ({@code harness.core.mode: local}) on a free loopback port; the IMs check Core's signed tokens
 * ({@code harness.auth.mode: jwt}) with {@link TestCoreKeys}' public key; {@link #credentials()} signs as Core does.
 */
public final class ServeConfigs {
    /** The static token of {@link #tokenMode}. */
    public static final String TOKEN = "serve-test-token-7d2e";
    /**
     * The KubeVirt guest agents' endpoint of the tests' IMs: loopback, at the port the IM binds as it starts (port 0),
     * never a number chosen before that another program could take first.
     */
    public static final String AGENT_ENDPOINT = "ws://127.0.0.1:0/api/vmagent";

    private ServeConfigs() {
    }

    /**
     * The example, serving on a free loopback port, its data in {@code dataDirectory}, checking Core's tokens with
     * the public key it writes beside the data directory ({@code <dataDirectory>-core-key/ucloud_key.pub}).
     */
    public static ExampleConfigs serving(Path dataDirectory, String kubernetesYaml) {
        Path keyFolder = TestCoreKeys.writePublicKey(dataDirectory.toAbsolutePath()
                .resolveSibling(dataDirectory.getFileName() + "-core-key"));
        return ExampleConfigs.of("config-hostpath.yaml")
                .setYaml("harness.server", "{ bindHost: 127.0.0.1, port: 0, routeBindAddress: 127.0.0.1 }")
                .setYaml("harness.auth", "{ mode: jwt, publicKeyFolder: '" + keyFolder + "' }")
                .setYaml("harness.dataDirectory", "'" + dataDirectory.toAbsolutePath() + "'")
                .setYaml("harness.kubernetes", kubernetesYaml)
                .setYaml("harness.core", "{ mode: local, port: 0, bindHost: 127.0.0.1, drives: { '17': '' } }");
    }

    /** What the IMs of {@link #serving} accept: calls signed as Core signs them. */
    public static CallCredentials credentials() {
        return TestCoreKeys.credentials();
    }

    /** {@code config} in {@code harness.auth.mode: token} with {@link #TOKEN}. */
    public static ExampleConfigs tokenMode(ExampleConfigs config) {
        return config.setYaml("harness.auth", "{ mode: token }").setYaml("harness.token", TOKEN);
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
