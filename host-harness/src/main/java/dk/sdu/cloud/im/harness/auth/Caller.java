package dk.sdu.cloud.im.harness.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * The end user a call of Core is made for. Core names the user in the header {@value #USERNAME_HEADER} (the
 * username in standard base64); a call without it is made by UCloud itself, whose system actor is
 * {@value #SYSTEM_USERNAME} ({@link #SYSTEM}), as UCloud's IM takes it.
 *
 * @param username the UCloud username, e.g. {@code alice#1234}
 */
public record Caller(String username) {
    /** The header naming the end user. */
    public static final String USERNAME_HEADER = "ucloud-username";
    /** The username of UCloud's system actor: the caller when Core names no user. */
    public static final String SYSTEM_USERNAME = "_ucloud";
    /** UCloud's system actor. */
    public static final Caller SYSTEM = new Caller(SYSTEM_USERNAME);

    public Caller {
        requireNonNull(username, "username is null");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("username is empty");
        }
    }

    /** Whether this is UCloud's system actor rather than a user. */
    public boolean system() {
        return SYSTEM_USERNAME.equals(username);
    }

    /**
     * The caller the request's {@value #USERNAME_HEADER} names; {@link #SYSTEM} without the header.
     *
     * @throws AuthenticationException when the header is not base64 of a UTF-8 username without control characters
     */
    public static Caller of(CallHeaders headers) {
        requireNonNull(headers, "headers is null");
        String encoded = headers.value(USERNAME_HEADER);
        if (encoded == null) {
            return SYSTEM;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("the " + USERNAME_HEADER + " header is not base64 (Core sends the "
                    + "username in standard base64)");
        }
        String username;
        try {
            username = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AuthenticationException("the " + USERNAME_HEADER + " header is not base64 of a UTF-8 username");
        }
        if (username.isBlank()) {
            throw new AuthenticationException("the " + USERNAME_HEADER + " header names an empty username");
        }
        if (username.codePoints().anyMatch(Character::isISOControl)) {
            throw new AuthenticationException("the " + USERNAME_HEADER + " header names a username with control characters");
        }
        return new Caller(username);
    }
}
