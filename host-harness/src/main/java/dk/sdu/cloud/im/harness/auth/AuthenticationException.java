package dk.sdu.cloud.im.harness.auth;

/**
 * A call the IM refuses to serve because it cannot tell that Core made it. The message says why, for the
 * caller (the 401's {@code why}): it never repeats a secret, a key or a whole token.
 */
public final class AuthenticationException extends RuntimeException {
    public AuthenticationException(String why) {
        super(why);
    }
}
