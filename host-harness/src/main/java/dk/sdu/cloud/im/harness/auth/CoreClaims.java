package dk.sdu.cloud.im.harness.auth;

/**
 * The claims of UCloud/Core's RS256 tokens, in both directions, as Core writes them: a call from Core to the IM
 * carries a service token ({@link #SERVICE_SUBJECT}, {@link #SERVICE_ROLE}); the IM's own calls to Core carry an
 * access token for the provider ({@link #PROVIDER_SUBJECT_PREFIX}{@code <providerId>}, {@link #PROVIDER_ROLE}),
 * which Core issues in exchange for the provider's refresh token. Both are signed with the provider's key pair and
 * live {@link CoreTokenSigner#LIFETIME}.
 */
public final class CoreClaims {
    /** {@code iss} of every token Core signs. */
    public static final String ISSUER = "cloud.sdu.dk";
    /** {@code sub} of Core acting as itself. */
    public static final String SERVICE_SUBJECT = "_UCloud";
    /** {@code role} of Core acting as itself. */
    public static final String SERVICE_ROLE = "SERVICE";
    /** {@code principalType} of Core acting as itself. */
    public static final String SERVICE_PRINCIPAL = "service";
    /** {@code sub} of a provider is this prefix and the provider id. */
    public static final String PROVIDER_SUBJECT_PREFIX = "#P_";
    /** {@code role} of a provider. */
    public static final String PROVIDER_ROLE = "PROVIDER";
    /** {@code principalType} of a provider. */
    public static final String PROVIDER_PRINCIPAL = "provider";
    /** {@code aud} of both kinds. */
    public static final String AUDIENCE = "all:write";
    /** The claim holding the role. */
    public static final String ROLE = "role";
    /** The claim holding the principal type. */
    public static final String PRINCIPAL_TYPE = "principalType";

    private CoreClaims() {
    }
}
