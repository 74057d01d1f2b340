package dk.sdu.cloud.im.agent.tty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The login shell of the user the agent runs as (in a real guest {@code ucloud}, under systemd): {@code $SHELL},
 * else the shell in the passwd database, else {@code /bin/sh}; run with {@code -l}, {@code TERM=xterm-256color},
 * in the work folder when it exists, else in the home folder.
 */
public final class LoginShell {
    static final String FALLBACK_SHELL = "/bin/sh";

    private LoginShell() {
    }

    /**
     * @param environment the agent's environment
     * @param home        the home folder the shell gets (a simulated guest's own), or empty to keep the user's
     */
    public static ShellSpec spec(Map<String, String> environment, Optional<Path> home, Path work) {
        var user = System.getProperty("user.name");
        var passwd = passwdEntry(user);
        var shell = Optional.ofNullable(environment.get("SHELL")).filter(s -> !s.isBlank())
                .or(() -> passwd.map(fields -> fields[6]).filter(s -> !s.isBlank()))
                .orElse(FALLBACK_SHELL);
        var homeFolder = home
                .or(() -> Optional.ofNullable(environment.get("HOME")).filter(h -> !h.isBlank()).map(Path::of))
                .or(() -> passwd.map(fields -> Path.of(fields[5])))
                .orElse(Path.of("/"));
        var env = new HashMap<>(environment);
        env.put("TERM", "xterm-256color");
        env.put("HOME", homeFolder.toString());
        env.put("SHELL", shell);
        env.putIfAbsent("USER", user);
        env.putIfAbsent("LOGNAME", user);
        var directory = Files.isDirectory(work) ? work : homeFolder;
        return new ShellSpec(List.of(shell, "-l"), env, directory);
    }

    // getent asks NSS, so users from LDAP and the like are found as well as those in /etc/passwd.
    private static Optional<String[]> passwdEntry(String user) {
        try {
            var process = new ProcessBuilder("getent", "passwd", user)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var line = new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.empty();
            }
            var fields = line.split(":", -1);
            return fields.length >= 7 ? Optional.of(fields) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
