package dk.sdu.cloud.im.kubevirt.agent;

import dk.sdu.cloud.im.spi.compute.TerminalSize;

/** A shell in a guest, reached over an agent's TTY connection. Safe to call from any thread. */
public interface GuestTty {

    /** Keys for the shell. */
    void input(String data);

    /** Changes the PTY's window size. */
    void resize(TerminalSize size);

    /** Ends the connection (the agent then ends the shell). Does not call {@link GuestTtyListener#closed}. */
    void close();
}
