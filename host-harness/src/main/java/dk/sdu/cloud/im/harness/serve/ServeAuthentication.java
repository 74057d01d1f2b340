package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.auth.CallAuthenticator;
import dk.sdu.cloud.im.harness.auth.CoreJwtAuthenticator;
import dk.sdu.cloud.im.harness.auth.CoreKeyException;
import dk.sdu.cloud.im.harness.auth.GatewayAuthenticator;
import dk.sdu.cloud.im.harness.auth.StaticTokenAuthenticator;
import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.harness.settings.HarnessConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * The provider API's check of its callers as {@code harness.auth} says, and the files it reads for it: Core's
 * public key (mode {@code jwt}), the gateway's secret (mode {@code gateway}), the static token (mode {@code
 * token}). Relative paths are relative to the configuration file's folder. Every problem is a {@link
 * ServeException} ({@link ServeException#CONFIGURATION}) naming the key or file and what to put there.
 */
public final class ServeAuthentication {
    private static final Logger LOG = LoggerFactory.getLogger(ServeAuthentication.class);

    private ServeAuthentication() {
    }

    /**
     * The authenticator of {@code harness.auth.mode}; in mode {@code token} a warning is logged that it is not
     * for a real UCloud.
     *
     * @param harness          {@code harness} of the configuration
     * @param configFile       the configuration file
     * @param defaultKeyFolder where Core's public key is when {@code harness.auth.publicKeyFolder} is absent
     * @param clock            what "now" is for a token's expiry
     */
    public static CallAuthenticator authenticator(HarnessConfig harness, Path configFile, Path defaultKeyFolder,
                                                  Clock clock) {
        requireNonNull(harness, "harness is null");
        requireNonNull(configFile, "configFile is null");
        requireNonNull(defaultKeyFolder, "defaultKeyFolder is null");
        requireNonNull(clock, "clock is null");
        CallAuthenticator authenticator = switch (harness.auth().mode()) {
            case JWT -> {
                Path folder = publicKeyFolder(harness, configFile, defaultKeyFolder);
                Path file = UCloudPublicKeyFile.locate(folder).orElse(folder.resolve(UCloudPublicKeyFile.KEY_FILE));
                RSAPublicKey key;
                try {
                    key = UCloudPublicKeyFile.read(folder);
                } catch (CoreKeyException e) {
                    throw new ServeException(ServeException.CONFIGURATION, "harness.auth (mode jwt): "
                            + e.getMessage(), e);
                }
                yield new CoreJwtAuthenticator(key, file.toString(), clock);
            }
            case GATEWAY -> new GatewayAuthenticator(gatewaySecret(harness, configFile));
            case TOKEN -> {
                LOG.warn("harness.auth.mode is token: the provider API accepts a static bearer token. This mode is for "
                        + "the harness and tests, not for a real UCloud: Core signs its calls (mode jwt)");
                yield new StaticTokenAuthenticator(token(harness, configFile));
            }
        };
        LOG.info("Provider API accepts {}", authenticator.description());
        return authenticator;
    }

    /**
     * The folder of Core's public key: {@code harness.auth.publicKeyFolder} (relative to the configuration file's
     * folder), else {@code defaultFolder}.
     */
    public static Path publicKeyFolder(HarnessConfig harness, Path configFile, Path defaultFolder) {
        return harness.auth().publicKeyFolder().map(folder -> resolve(configFile, folder)).orElse(defaultFolder);
    }

    /**
     * The static token of mode {@code token}: {@code harness.token}, or the content of {@code harness.tokenFile}.
     *
     * @throws ServeException when neither is set, or the file is missing, unreadable, empty or holds more than
     *                        one word
     */
    public static String token(HarnessConfig harness, Path configFile) {
        if (harness.token().isPresent()) {
            return harness.token().get();
        }
        if (harness.tokenFile().isEmpty()) {
            throw new ServeException(ServeException.CONFIGURATION, configFile + ": no bearer token: harness.auth.mode "
                    + "token needs the token that Core sends with every request (harness.token or harness.tokenFile), "
                    + "and the file sets neither. Add, e.g.:\n"
                    + "  harness:\n"
                    + "    token: <a long random string>      # or tokenFile: <a file holding it>");
        }
        return oneWord(resolve(configFile, harness.tokenFile().get()), "harness.tokenFile", "token");
    }

    /**
     * The secret of mode {@code gateway}: the content of {@code harness.auth.gatewaySecretFile}.
     *
     * @throws ServeException when it is not set, or the file is missing, unreadable, empty or holds more than one
     *                        word
     */
    public static String gatewaySecret(HarnessConfig harness, Path configFile) {
        String file = harness.auth().gatewaySecretFile().orElseThrow(() -> new ServeException(
                ServeException.CONFIGURATION, configFile + ": harness.auth.mode gateway needs "
                + "harness.auth.gatewaySecretFile: a file holding the secret the gateway sends as "
                + GatewayAuthenticator.SECRET_HEADER));
        return oneWord(resolve(configFile, file), "harness.auth.gatewaySecretFile", "secret the gateway sends as "
                + GatewayAuthenticator.SECRET_HEADER);
    }

    private static Path resolve(Path configFile, String path) {
        Path folder = configFile.toAbsolutePath().getParent();
        return (folder == null ? Path.of(path) : folder.resolve(path)).normalize();
    }

    private static String oneWord(Path file, String key, String what) {
        String content;
        try {
            content = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new ServeException(ServeException.CONFIGURATION, key + ": " + file + " does not exist");
        } catch (IOException e) {
            throw new ServeException(ServeException.CONFIGURATION, key + ": cannot read " + file + ": " + e, e);
        }
        if (content.isEmpty()) {
            throw new ServeException(ServeException.CONFIGURATION, key + ": " + file + " is empty; put the " + what
                    + " there");
        }
        if (!content.matches("\\S+")) {
            throw new ServeException(ServeException.CONFIGURATION, key + ": " + file
                    + " must hold one " + (what.startsWith("token") ? "token" : "secret")
                    + " without spaces or line breaks");
        }
        return content;
    }
}
