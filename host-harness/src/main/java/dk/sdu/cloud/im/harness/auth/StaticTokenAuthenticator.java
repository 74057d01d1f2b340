package dk.sdu.cloud.im.harness.auth;

/**
 * Accepts a request that carries a configured token as {@code Authorization: Bearer <token>}. Not UCloud's
 * protocol: for the harness and tests, where no key pair of Core's is at hand. The user is read as in the other
 * modes ({@link Caller#of}).
 */
public final class StaticTokenAuthenticator implements CallAuthenticator {
    private final SharedSecret token;

    /** @throws IllegalArgumentException when {@code token} is empty */
    public StaticTokenAuthenticator(String token) {
        this.token = new SharedSecret(token);
    }

    @Override
    public Caller authenticate(CallHeaders headers) {
        if (!token.matches(BearerHeader.token(headers))) {
            throw new AuthenticationException("the bearer token is not valid");
        }
        return Caller.of(headers);
    }

    @Override
    public String description() {
        return "a static bearer token (harness.token)";
    }

    @Override
    public String toString() {
        return "StaticTokenAuthenticator[token hidden]";
    }
}
