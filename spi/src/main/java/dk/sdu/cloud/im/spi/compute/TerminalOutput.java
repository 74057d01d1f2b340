package dk.sdu.cloud.im.spi.compute;

/**
 * Where a {@link TerminalSession} sends what the user sees. Implemented by the host; safe to call from any
 * thread, in order.
 */
public interface TerminalOutput {

    /** Text for the user's terminal (whole characters: a backend decodes the guest's bytes as UTF-8 first). */
    void data(String text);

    /**
     * The session ended on the backend's side (the shell exited, the VM went away). Called at most once; the
     * host then closes the user's connection. Not called after {@link TerminalSession#close()}.
     *
     * @param reason a short text for the user
     */
    void closed(String reason);
}
