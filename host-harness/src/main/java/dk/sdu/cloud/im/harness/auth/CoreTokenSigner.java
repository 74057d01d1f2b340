package dk.sdu.cloud.im.harness.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Signs tokens as UCloud/Core does (RS256 with the provider's private key, {@link #LIFETIME}): the service token
 * Core sends with its calls to the IM, and the access token Core gives the provider for its refresh token. Used
 * by the harness when it plays Core; the claims are Core's ({@link CoreClaims}).
 */
public final class CoreTokenSigner {
    /** How long a token Core signs is valid. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final RSASSASigner signer;
    private final Clock clock;

    public CoreTokenSigner(RSAPrivateKey privateKey, Clock clock) {
        this.signer = new RSASSASigner(requireNonNull(privateKey, "privateKey is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A token for a call of Core to the IM: {@code sub _UCloud}, {@code role SERVICE}. */
    public String serviceToken() {
        return sign(claims(CoreClaims.SERVICE_SUBJECT, CoreClaims.SERVICE_ROLE, CoreClaims.SERVICE_PRINCIPAL).build());
    }

    /** An access token of the provider for its calls to Core: {@code sub #P_<providerId>}, {@code role PROVIDER}. */
    public String providerAccessToken(String providerId) {
        requireNonNull(providerId, "providerId is null");
        return sign(claims(CoreClaims.PROVIDER_SUBJECT_PREFIX + providerId, CoreClaims.PROVIDER_ROLE,
                CoreClaims.PROVIDER_PRINCIPAL).build());
    }

    /** Core's claims for {@code subject}, issued now, expiring after {@link #LIFETIME}; to adjust before signing. */
    public JWTClaimsSet.Builder claims(String subject, String role, String principalType) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .claim(CoreClaims.ROLE, role)
                .claim(CoreClaims.PRINCIPAL_TYPE, principalType)
                .audience(List.of(CoreClaims.AUDIENCE))
                .issuer(CoreClaims.ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)));
    }

    /** Signs {@code claims} with RS256. */
    public String sign(JWTClaimsSet claims) {
        requireNonNull(claims, "claims is null");
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the provider's RSA key: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
