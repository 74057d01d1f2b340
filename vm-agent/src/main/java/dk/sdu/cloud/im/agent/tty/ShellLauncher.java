package dk.sdu.cloud.im.agent.tty;

import java.io.IOException;

/** Starts the login shell in a new pseudo-terminal of the given size. */
public interface ShellLauncher {
    Shell start(int cols, int rows) throws IOException;
}
