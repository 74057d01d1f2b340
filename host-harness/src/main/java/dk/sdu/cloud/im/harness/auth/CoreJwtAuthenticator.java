package dk.sdu.cloud.im.harness.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * Accepts a call of UCloud/Core as UCloud's IM does behind its gateway, but checks the token itself: {@code
 * Authorization: Bearer <jwt>} signed with RS256 by Core with this provider's key (the public half from {@link
 * UCloudPublicKeyFile}), issued by {@value CoreClaims#ISSUER} for Core itself ({@code sub} {@value
 * CoreClaims#SERVICE_SUBJECT}, {@code role} {@value CoreClaims#SERVICE_ROLE}), and not expired (see {@link
 * CoreServiceClaims} for the clock skew allowed). Only RS256 is accepted: a token with {@code alg none}, or HMAC
 * keyed with the public key, is refused before any check of its content.
 *
 * <p>The token is read from the {@code Authorization} header only. UCloud's gateway also takes an {@code
 * access_token} query parameter, but Core always sends the header, and a token in a URL ends up in logs.
 */
public final class CoreJwtAuthenticator implements CallAuthenticator {
    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final String keySource;

    /**
     * @param publicKey Core's public key for this provider
     * @param keySource where the key came from, for the log (e.g. the file)
     * @param clock     what "now" is for the token's expiry
     */
    public CoreJwtAuthenticator(RSAPublicKey publicKey, String keySource, Clock clock) {
        requireNonNull(publicKey, "publicKey is null");
        this.keySource = requireNonNull(keySource, "keySource is null");
        requireNonNull(clock, "clock is null");
        DefaultJWTProcessor<SecurityContext> jwtProcessor = new DefaultJWTProcessor<>();
        jwtProcessor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder(publicKey).build()))));
        jwtProcessor.setJWTClaimsSetVerifier(new CoreServiceClaims(clock));
        this.processor = jwtProcessor;
    }

    @Override
    public Caller authenticate(CallHeaders headers) {
        String token = BearerHeader.token(headers);
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new AuthenticationException("the bearer token is not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw new AuthenticationException("the token is not signed (alg none); Core signs with RS256");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            throw new AuthenticationException("the token is encrypted (JWE); Core sends a signed token (RS256)");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(algorithm)) {
            throw new AuthenticationException("the token is signed with " + algorithm + "; Core signs with RS256");
        }
        try {
            processor.process(signed, null);
        } catch (BadJWSException e) {
            throw new AuthenticationException("the token's signature is not Core's: it does not match the public key "
                    + "of UCloud/Core the IM is configured with");
        } catch (BadJWTException e) {
            throw new AuthenticationException(e.getMessage());
        } catch (BadJOSEException e) {
            throw new AuthenticationException("the token was refused: " + e.getMessage());
        } catch (JOSEException e) {
            throw new AuthenticationException("the token cannot be verified: " + e.getMessage());
        }
        return Caller.of(headers);
    }

    @Override
    public String description() {
        return "UCloud/Core's RS256 tokens, checked with the key in " + keySource;
    }
}
