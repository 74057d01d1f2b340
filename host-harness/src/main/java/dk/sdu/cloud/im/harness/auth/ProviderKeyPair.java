package dk.sdu.cloud.im.harness.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * The RSA key pair Core keeps for one provider (2048 bits, as Core's {@code ProviderRenew} makes it): Core signs
 * its calls to the IM and the provider's access tokens with the private key; the IM checks them with the public
 * one ({@link UCloudPublicKeyFile}). Only the harness, playing Core, holds a private key.
 *
 * <p>On disk the private key is a PKCS#8 PEM file readable by its owner only ({@value #PRIVATE_KEY_FILE}); the
 * public key is derived from it.
 */
public final class ProviderKeyPair {
    /** The private key's file name in the folder of {@link #readOrCreate}. */
    public static final String PRIVATE_KEY_FILE = "core_private_key.pem";
    private static final int BITS = 2048;
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;

    private ProviderKeyPair(RSAPrivateCrtKey privateKey) {
        this.privateKey = requireNonNull(privateKey, "privateKey is null");
        try {
            this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has RSA", e);
        }
    }

    /** A new pair. */
    public static ProviderKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(BITS);
            return new ProviderKeyPair((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has RSA", e);
        }
    }

    /**
     * The pair whose private key is {@value #PRIVATE_KEY_FILE} in {@code folder}; a new pair, written there, when
     * the file does not exist yet. The folder is created when missing.
     *
     * @throws CoreKeyException when the file cannot be read, written or understood
     */
    public static ProviderKeyPair readOrCreate(Path folder) {
        requireNonNull(folder, "folder is null");
        Path file = folder.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(file)) {
            return read(file);
        }
        ProviderKeyPair pair = generate();
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, PRIVATE_KEY_FILE, ".tmp");
            ownerOnly(temporary);
            Files.writeString(temporary, pair.privateKeyPem(), StandardCharsets.US_ASCII);
            try {
                // Not replacing: two processes creating at once agree on the first one's key.
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(temporary);
                return read(file);
            }
        } catch (IOException e) {
            throw new CoreKeyException("cannot write the key file " + file + ": " + e, e);
        }
        return pair;
    }

    /** The pair whose private key is the PKCS#8 PEM file {@code file}. */
    public static ProviderKeyPair read(Path file) {
        requireNonNull(file, "file is null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CoreKeyException("cannot read the key file " + file + ": " + e, e);
        }
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new CoreKeyException(file + " is not a PEM file with a PRIVATE KEY block");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
            return new ProviderKeyPair((RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new CoreKeyException(file + " does not hold an RSA private key in PKCS#8: " + e.getMessage(), e);
        }
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    /** The private key as a PKCS#8 PEM text. */
    public String privateKeyPem() {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(privateKey.getEncoded())
                + "\n" + END + "\n";
    }

    @Override
    public String toString() {
        // The private key stays out of logs.
        return "ProviderKeyPair[public=" + UCloudPublicKeyFile.format(publicKey).substring(0, 24) + "...]";
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default access rules apply
        }
    }
}
