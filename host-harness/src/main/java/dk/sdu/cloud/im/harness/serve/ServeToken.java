package dk.sdu.cloud.im.harness.serve;

import dk.sdu.cloud.im.harness.settings.HarnessConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The bearer token Core uses: {@code harness.token}, or the content of {@code harness.tokenFile}. */
public final class ServeToken {
    private ServeToken() {
    }

    /**
     * @param harness    {@code harness} of the configuration
     * @param configFile the configuration file (a relative {@code tokenFile} is relative to its folder)
     * @throws ServeException ({@link ServeException#CONFIGURATION}) when neither is set, or the file is
     *                        missing, unreadable, empty or holds more than one word
     */
    public static String of(HarnessConfig harness, Path configFile) {
        if (harness.token().isPresent()) {
            return harness.token().get();
        }
        if (harness.tokenFile().isEmpty()) {
            throw new ServeException(ServeException.CONFIGURATION, configFile + ": no bearer token: serve needs the "
                    + "token that Core sends with every request (harness.token or harness.tokenFile), and the file "
                    + "sets neither. Add, e.g.:\n"
                    + "  harness:\n"
                    + "    token: <a long random string>      # or tokenFile: <a file holding it>");
        }
        Path folder = configFile.toAbsolutePath().getParent();
        Path file = (folder == null ? Path.of(harness.tokenFile().get()) : folder.resolve(harness.tokenFile().get()))
                .normalize();
        String content;
        try {
            content = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new ServeException(ServeException.CONFIGURATION, "harness.tokenFile: " + file + " does not exist");
        } catch (IOException e) {
            throw new ServeException(ServeException.CONFIGURATION, "harness.tokenFile: cannot read " + file + ": " + e, e);
        }
        if (content.isEmpty()) {
            throw new ServeException(ServeException.CONFIGURATION, "harness.tokenFile: " + file + " is empty");
        }
        if (!content.matches("\\S+")) {
            throw new ServeException(ServeException.CONFIGURATION, "harness.tokenFile: " + file
                    + " must hold one token without spaces or line breaks");
        }
        return content;
    }
}
