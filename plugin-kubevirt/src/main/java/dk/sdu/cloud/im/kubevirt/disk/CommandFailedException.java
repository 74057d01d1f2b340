package dk.sdu.cloud.im.kubevirt.disk;

import java.io.IOException;
import java.util.List;

/**
 * An external command did not succeed: it could not be started, exited with a non-zero status, or ran out
 * of time and was killed. The message names the command and, when there is one, the tail of its stderr.
 */
public final class CommandFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final List<String> command;

    CommandFailedException(List<String> command, String message, Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(command);
    }

    /** The command as it was run, program first. */
    public List<String> command() {
        return command;
    }
}
