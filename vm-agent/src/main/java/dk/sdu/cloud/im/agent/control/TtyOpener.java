package dk.sdu.cloud.im.agent.control;

/** Opens a TTY connection for an {@code openTty} request; returns at once, the TTY lives on its own. */
public interface TtyOpener {
    void open(String ttyToken);
}
