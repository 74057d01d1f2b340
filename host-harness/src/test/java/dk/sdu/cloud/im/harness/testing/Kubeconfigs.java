package dk.sdu.cloud.im.harness.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files for tests: one cluster, one user with a token, one context. */
public final class Kubeconfigs {
    private Kubeconfigs() {
    }

    /** A kubeconfig whose context {@code context} (the current one) points at {@code server}. */
    public static Path write(Path file, String server, String context) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: test-cluster
                    cluster:
                      server: %s
                users:
                  - name: test-user
                    user:
                      token: test-token
                contexts:
                  - name: %s
                    context:
                      cluster: test-cluster
                      user: test-user
                current-context: %s
                """.formatted(server, context, context);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
