package dk.sdu.cloud.im.agent.tty;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What to run for a shell: the command, its whole environment, and its working folder. */
public record ShellSpec(List<String> command, Map<String, String> environment, Path directory) {
    public ShellSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        requireNonNull(directory, "directory is null");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty");
        }
    }
}
