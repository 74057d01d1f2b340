package dk.sdu.cloud.im.agent.tty;

import java.io.IOException;
import java.io.InputStream;

/** A shell running in a pseudo-terminal. */
public interface Shell {

    /** What the shell writes to its terminal; ends when the terminal closes. */
    InputStream output();

    /** Writes {@code length} bytes of {@code keys} from {@code offset} to the terminal, as they are. */
    void write(byte[] keys, int offset, int length) throws IOException;

    void resize(int cols, int rows);

    /** Ends the shell: SIGHUP to its process group, SIGKILL a little later if it is still there. */
    void hangup();

    int waitFor() throws InterruptedException;
}
