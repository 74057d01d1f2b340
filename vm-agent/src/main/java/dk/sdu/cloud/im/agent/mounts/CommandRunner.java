package dk.sdu.cloud.im.agent.mounts;

import java.io.IOException;
import java.util.List;

/** Runs a command to its end. The seam that lets tests mount without sudo. */
public interface CommandRunner {

    CommandResult run(List<String> command) throws IOException;

    /** @param stderr what the command wrote to its standard error, bounded */
    record CommandResult(int exitCode, String stderr) {
        public CommandResult {
            java.util.Objects.requireNonNull(stderr, "stderr is null");
        }
    }
}
