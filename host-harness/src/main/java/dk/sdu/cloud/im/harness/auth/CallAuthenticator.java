package dk.sdu.cloud.im.harness.auth;

/**
 * Decides whether a request to the IM comes from UCloud/Core, and for which end user. Implementations: {@link
 * CoreJwtAuthenticator} (Core's signed token, checked by the IM itself), {@link GatewayAuthenticator} (behind a
 * gateway that checked the token, as UCloud's Envoy does) and {@link StaticTokenAuthenticator} (a fixed bearer
 * token, for the harness and tests only). Implementations are safe to call from many threads at once.
 */
public interface CallAuthenticator {
    /**
     * The caller of a request with these headers.
     *
     * @throws AuthenticationException when the request is not Core's: its message is the refusal's reason
     */
    Caller authenticate(CallHeaders headers);

    /** What this accepts, for the log, e.g. {@code "Core's RS256 tokens (key ...)"}; never a secret. */
    String description();
}
