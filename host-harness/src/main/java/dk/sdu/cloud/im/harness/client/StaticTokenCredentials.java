package dk.sdu.cloud.im.harness.client;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A static bearer token (an IM in {@code harness.auth.mode: token}). */
public final class StaticTokenCredentials implements CallCredentials {
    private final String token;

    /** @throws IllegalArgumentException when {@code token} is empty */
    public StaticTokenCredentials(String token) {
        this.token = requireNonNull(token, "token is null");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token is empty");
        }
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    public String refusalHint() {
        return "use the server's harness.token";
    }

    @Override
    public String toString() {
        return "StaticTokenCredentials[token hidden]";
    }
}
