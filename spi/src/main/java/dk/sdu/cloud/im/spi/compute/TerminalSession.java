package dk.sdu.cloud.im.spi.compute;

/**
 * A user's interactive shell in a job, opened by {@link ComputeBackend#openShell}. Safe to call from any
 * thread; calls after {@link #close()} do nothing.
 */
public interface TerminalSession extends AutoCloseable {

    /** Keys the user typed (or pasted), as text. */
    void input(String data);

    /** The user's terminal changed size. */
    void resize(TerminalSize size);

    /** The user left: ends the shell's connection. Does not call {@link TerminalOutput#closed}. */
    @Override
    void close();
}
