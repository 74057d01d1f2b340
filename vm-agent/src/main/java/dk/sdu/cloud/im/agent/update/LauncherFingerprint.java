package dk.sdu.cloud.im.agent.update;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What the launcher file is: size, modification time and content hash; {@code absent} when there is no file. */
record LauncherFingerprint(boolean present, long size, long modifiedMillis, String sha256) {

    static LauncherFingerprint of(Path file) throws IOException {
        try {
            var size = Files.size(file);
            var modified = Files.getLastModifiedTime(file).toMillis();
            return new LauncherFingerprint(true, size, modified, sha256(file));
        } catch (NoSuchFileException e) {
            return new LauncherFingerprint(false, 0, 0, "");
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
