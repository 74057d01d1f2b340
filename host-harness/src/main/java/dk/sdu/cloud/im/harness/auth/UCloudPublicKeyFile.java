package dk.sdu.cloud.im.harness.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Core's public key for this provider in UCloud's file format: the base64 of the key's X.509
 * SubjectPublicKeyInfo DER, without PEM lines (UCloud's IM adds them itself), in {@value #KEY_FILE} or, when
 * that file is absent, {@value #CERTIFICATE_FILE} of the configuration folder. Core shows the same text as the
 * provider's {@code publicKey}. A file that does carry {@code -----BEGIN PUBLIC KEY-----} lines is read too.
 *
 * <p>As in UCloud's IM only the first file found is read: a broken {@value #KEY_FILE} is an error even when
 * {@value #CERTIFICATE_FILE} would do.
 */
public final class UCloudPublicKeyFile {
    /** The first file looked for. */
    public static final String KEY_FILE = "ucloud_key.pub";
    /** The file looked for when {@link #KEY_FILE} is absent (the name UCloud's launcher writes). */
    public static final String CERTIFICATE_FILE = "ucloud_crt.pem";

    private UCloudPublicKeyFile() {
    }

    /** The key file of the folder: {@link #KEY_FILE}, else {@link #CERTIFICATE_FILE}; empty when neither exists. */
    public static Optional<Path> locate(Path folder) {
        requireNonNull(folder, "folder is null");
        for (String name : List.of(KEY_FILE, CERTIFICATE_FILE)) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the folder's key file.
     *
     * @throws CoreKeyException naming the folder when neither file exists, or the file when it is not an RSA key
     */
    public static RSAPublicKey read(Path folder) {
        Path file = locate(folder).orElseThrow(() -> new CoreKeyException("no public key of UCloud/Core in " + folder
                + ": put Core's public key for this provider (the provider's 'publicKey', base64 without PEM lines) in "
                + folder.resolve(KEY_FILE)));
        return readFile(file);
    }

    /** Reads one key file. */
    public static RSAPublicKey readFile(Path file) {
        requireNonNull(file, "file is null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CoreKeyException(file + " does not exist");
        } catch (IOException e) {
            throw new CoreKeyException("cannot read " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /**
     * The key in {@code text}: bare base64 (line breaks and spaces allowed) or a PEM {@code PUBLIC KEY} block.
     *
     * @param source what to name in an error, e.g. the file
     */
    public static RSAPublicKey parse(String text, String source) {
        requireNonNull(text, "text is null");
        requireNonNull(source, "source is null");
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        if (body.isEmpty()) {
            throw new CoreKeyException(source + " is empty; it must hold Core's public key for this provider "
                    + "(base64 of the key, as Core shows it)");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new CoreKeyException(source + " is not base64: it must hold Core's public key for this provider "
                    + "(base64 of the key's DER, without PEM lines)");
        }
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return (RSAPublicKey) key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new CoreKeyException(source + " does not hold an RSA public key (X.509 SubjectPublicKeyInfo): "
                    + e.getMessage());
        }
    }

    /** The key as UCloud writes it: base64 of the DER, one line, no PEM lines. */
    public static String format(RSAPublicKey key) {
        requireNonNull(key, "key is null");
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Writes {@link #format} to {@code file} (readable by all, as UCloud's service script leaves it). */
    public static void write(Path file, RSAPublicKey key) {
        requireNonNull(file, "file is null");
        try {
            Files.writeString(file, format(key) + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CoreKeyException("cannot write " + file + ": " + e, e);
        }
    }
}
