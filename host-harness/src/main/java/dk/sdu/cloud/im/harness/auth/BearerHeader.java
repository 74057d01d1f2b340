package dk.sdu.cloud.im.harness.auth;

import java.util.Locale;

/** The token of an {@code Authorization: Bearer <token>} header. */
final class BearerHeader {
    static final String AUTHORIZATION = "Authorization";
    private static final String SCHEME = "bearer";

    private BearerHeader() {
    }

    /**
     * The presented token.
     *
     * @throws AuthenticationException when the header is missing, of another scheme or empty
     */
    static String token(CallHeaders headers) {
        String value = headers.value(AUTHORIZATION);
        if (value == null || value.isBlank()) {
            throw new AuthenticationException("missing Authorization header; expected 'Authorization: Bearer <token>'");
        }
        String header = value.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw new AuthenticationException("Authorization scheme must be Bearer");
        }
        String presented = space < 0 ? "" : header.substring(space + 1).strip();
        if (presented.isEmpty()) {
            throw new AuthenticationException("the bearer token is empty");
        }
        return presented;
    }
}
