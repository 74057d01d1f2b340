package dk.sdu.cloud.im.harness.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static java.util.Objects.requireNonNull;

/**
 * A secret both sides know (a static bearer token, the gateway's {@code ucloud-secret}), and the comparison of a
 * presented value with it.
 *
 * <p>Both sides are hashed before the comparison so that {@link MessageDigest#isEqual} compares equal lengths in
 * constant time: neither the secret's content nor its length can be learnt from timing.
 */
final class SharedSecret {
    private final byte[] expectedDigest;

    SharedSecret(String secret) {
        requireNonNull(secret, "secret is null");
        if (secret.isBlank()) {
            throw new IllegalArgumentException("the secret is empty: it would admit anyone");
        }
        this.expectedDigest = digest(secret);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expectedDigest, digest(presented));
    }

    @Override
    public String toString() {
        return "SharedSecret[hidden]";
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
