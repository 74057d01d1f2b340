package dk.sdu.cloud.im.harness.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The configured bearer token, and the check of an {@code Authorization} header against it.
 *
 * <p>Both sides are hashed before the comparison so that {@link MessageDigest#isEqual} compares equal
 * lengths in constant time: neither the token's content nor its length can be learnt from timing.
 */
final class BearerToken {
    private static final String SCHEME = "bearer";

    private final byte[] expectedDigest;

    BearerToken(String token) {
        requireNonNull(token, "token is null");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token is empty");
        }
        this.expectedDigest = digest(token);
    }

    /** Why the header does not authorise the request, or empty when it does. */
    Optional<String> problemWith(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.of("missing Authorization header; expected 'Authorization: Bearer <token>'");
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Optional.of("Authorization scheme must be Bearer");
        }
        String presented = space < 0 ? "" : header.substring(space + 1).strip();
        if (presented.isEmpty()) {
            return Optional.of("the bearer token is empty");
        }
        if (!MessageDigest.isEqual(expectedDigest, digest(presented))) {
            return Optional.of("the bearer token is not valid");
        }
        return Optional.empty();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
