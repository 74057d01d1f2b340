package dk.sdu.cloud.im.harness.testing;

import dk.sdu.cloud.im.harness.auth.CoreTokenSigner;
import dk.sdu.cloud.im.harness.auth.ProviderKeyPair;
import dk.sdu.cloud.im.harness.auth.UCloudPublicKeyFile;
import dk.sdu.cloud.im.harness.client.CallCredentials;
import dk.sdu.cloud.im.harness.client.SignedCoreCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Core's key pair for the tests' provider, made once per JVM (an RSA key takes a moment to make): the tests'
 * IMs read its public half (mode jwt), and their clients sign with its private half as Core does.
 */
public final class TestCoreKeys {
    private static final ProviderKeyPair PAIR = ProviderKeyPair.generate();

    private TestCoreKeys() {
    }

    public static ProviderKeyPair pair() {
        return PAIR;
    }

    /** Calls signed with the pair's private key as Core signs them, by the system clock. */
    public static CallCredentials credentials() {
        return new SignedCoreCredentials(signer(Clock.systemUTC()), Clock.systemUTC());
    }

    /** Core's signer with the pair's private key. */
    public static CoreTokenSigner signer(Clock clock) {
        return new CoreTokenSigner(PAIR.privateKey(), clock);
    }

    /** Writes the public key into {@code folder} as UCloud's IM reads it ({@code ucloud_key.pub}); the folder. */
    public static Path writePublicKey(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UCloudPublicKeyFile.write(folder.resolve(UCloudPublicKeyFile.KEY_FILE), PAIR.publicKey());
        return folder;
    }

    /** Writes the private key as a PKCS#8 PEM file (what {@code --core-key} reads); the file. */
    public static Path writePrivateKey(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, PAIR.privateKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
